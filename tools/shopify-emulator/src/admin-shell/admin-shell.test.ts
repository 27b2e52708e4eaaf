// The shell page embeds the app with a session token the real library accepts (and exchanges for an
// access token at the emulator); the App Bridge stand-in does what @shopify/app-bridge-react needs.
import { ApiVersion, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { Window } from "happy-dom";
import { jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorContext } from "../context";
import { routeShopRequestsTo } from "../../../../app/shopify/emulator-seam.server";
import { oauthRoutes } from "../oauth/routes";
import { createTestContext, startTestServer, TEST_APP } from "../oauth/testing";
import { adminShellRoutes, hostParam } from "./routes";

const SHOP = "test-shop.myshopify.com";
let ctx: EmulatorContext;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  ctx = createTestContext();
  server = await startTestServer(ctx, async (f) => {
    await f.register(oauthRoutes, { ctx });
    await f.register(adminShellRoutes, { ctx });
  });
  setAbstractFetchFunc(routeShopRequestsTo(server.origin));
});
afterAll(async () => {
  await server.close();
});

async function iframeSrcOf(path: string): Promise<URL> {
  const res = await fetch(server.origin + path);
  expect(res.status).toBe(200);
  const html = await res.text();
  const src = /<iframe[^>]*\ssrc="([^"]+)"/.exec(html)![1]!.replaceAll("&amp;", "&");
  return new URL(src);
}

describe("admin shell page", () => {
  it("embeds {appUrl}{path} with embedded, shop, host, a verifiable id_token and locale", async () => {
    const src = await iframeSrcOf(`/store/test-shop/apps/${TEST_APP.apiKey}/app/sync?tab=orders`);
    expect(src.origin + src.pathname).toBe(`${TEST_APP.appUrl}/app/sync`);
    expect(src.searchParams.get("tab")).toBe("orders");
    expect(src.searchParams.get("embedded")).toBe("1");
    expect(src.searchParams.get("shop")).toBe(SHOP);
    expect(src.searchParams.get("locale")).toBe("en");
    expect(Buffer.from(src.searchParams.get("host")!, "base64").toString()).toBe("admin.shopify.com/store/test-shop");
    expect(src.searchParams.get("host")).toBe(hostParam("test-shop"));

    const { payload, protectedHeader } = await jwtVerify(
      src.searchParams.get("id_token")!,
      new TextEncoder().encode(TEST_APP.apiSecret),
      {
        audience: TEST_APP.apiKey,
      },
    );
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload).toMatchObject({ iss: `https://${SHOP}/admin`, dest: `https://${SHOP}`, sub: "1" });
    expect(payload.exp! - payload.iat!).toBe(60);
    expect(payload.nbf).toBe(payload.iat);
    expect(payload.jti).toBeTruthy();
    expect(payload.sid).toBeTruthy();
  });

  it("the iframe URL authenticates through shopify-app-remix (token exchange at the emulator)", async () => {
    const shopify = shopifyApp({
      ...testConfig(),
      apiVersion: ApiVersion.October26,
      future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
      logger: { level: LogSeverity.Error, log: () => {} },
    });
    const src = await iframeSrcOf(`/store/test-shop/apps/${TEST_APP.apiKey}/app`);
    const { session } = await shopify.authenticate.admin(
      new Request(src, { headers: { "user-agent": "Mozilla/5.0 Chrome/130" } }),
    );
    expect(session.shop).toBe(SHOP);
    expect(ctx.auth!.validateAccessToken(SHOP, session.accessToken!).ok).toBe(true);
  });

  it("404s other apps, serves the install redirect and the App Bridge script", async () => {
    expect((await fetch(`${server.origin}/store/test-shop/apps/someone-else`)).status).toBe(404);
    const install = await fetch(`${server.origin}/store/test-shop/oauth/install?client_id=${TEST_APP.apiKey}`, {
      redirect: "manual",
    });
    expect(install.headers.get("location")).toBe(`/store/test-shop/apps/${TEST_APP.apiKey}`);
    const js = await fetch(`${server.origin}/app-bridge.js`);
    expect(js.headers.get("content-type")).toMatch(/javascript/);
    const body = await js.text();
    expect(() => new Function(body)).not.toThrow();
    const token = (await (
      await fetch(`${server.origin}/store/test-shop/apps/${TEST_APP.apiKey}/__shell/id-token`)
    ).json()) as { token: string };
    expect(token.token.split(".")).toHaveLength(3);
  });
});

describe("App Bridge stand-in (in happy-dom)", () => {
  async function bootApp(initialToken: string) {
    const appUrl = `${TEST_APP.appUrl}/app?embedded=1&shop=${SHOP}&host=${hostParam("test-shop")}&id_token=${initialToken}`;
    const window = new Window({ url: appUrl });
    const toParent: Array<{ type: string; id?: number; data: Record<string, unknown> }> = [];
    const fetched: Array<{ url: string; auth: string | null }> = [];
    let answer401 = 0;
    const reply = (msg: object) =>
      window.dispatchEvent(
        new window.MessageEvent("message", {
          data: { source: "shopify-emulator-shell", ...msg },
          origin: server.origin,
        }),
      );
    const parent = {
      postMessage: (msg: { type: string; id?: number; data: Record<string, unknown> }, origin: string) => {
        expect(origin).toBe(server.origin);
        toParent.push(msg);
        if (msg.type === "id-token") {
          void fetch(`${server.origin}/store/test-shop/apps/${TEST_APP.apiKey}/__shell/id-token`)
            .then((r) => r.json())
            .then((body) => reply({ replyTo: msg.id, data: body }));
        }
      },
    };
    Object.defineProperty(window, "parent", { value: parent });
    Object.defineProperty(window, "top", { value: parent });
    (window as unknown as { fetch: unknown }).fetch = async (input: Request) => {
      fetched.push({ url: input.url, auth: input.headers.get("authorization") });
      if (answer401 > 0) {
        answer401--;
        return new window.Response("", { status: 401, headers: { "X-Shopify-Retry-Invalid-Session-Request": "1" } });
      }
      return new window.Response("{}", { status: 200 });
    };
    const script = window.document.createElement("script");
    script.setAttribute("src", `${server.origin}/app-bridge.js`);
    script.setAttribute("data-api-key", TEST_APP.apiKey);
    Object.defineProperty(window.document, "currentScript", { value: script, configurable: true });
    const code = await (await fetch(`${server.origin}/app-bridge.js`)).text();
    (window as unknown as { eval(code: string): unknown }).eval(code);
    return { window, toParent, fetched, failNext: (n: number) => (answer401 = n) };
  }

  it("idToken, authenticated fetch with retry, toast, nav menu and navigation", async () => {
    // The id_token from the URL is used until it is near expiry; a 401 asking for a retry makes
    // idToken() ask the shell for a fresh one.
    const { window, toParent, fetched, failNext } = await bootApp(await ctx.auth!.issueSessionToken(SHOP));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the App Bridge global is untyped
    const shopify = (window as unknown as { shopify: Record<string, any> }).shopify;
    expect(shopify.config).toMatchObject({ apiKey: TEST_APP.apiKey, shop: SHOP });
    expect(shopify.environment.embedded).toBe(true);
    const token = (await shopify.idToken()) as string;
    await jwtVerify(token, new TextEncoder().encode(TEST_APP.apiSecret), { audience: TEST_APP.apiKey });

    await window.fetch(`${TEST_APP.appUrl}/app/data`);
    expect(fetched.at(-1)!.auth).toBe(`Bearer ${token}`);
    await window.fetch("https://cdn.example.com/x.css");
    expect(fetched.at(-1)!.auth).toBeNull();

    failNext(1);
    const res = await window.fetch(`${TEST_APP.appUrl}/app/data`);
    expect(res.status).toBe(200);
    expect(fetched.slice(-2).map((f) => f.auth!.startsWith("Bearer "))).toEqual([true, true]);
    expect(toParent.some((m) => m.type === "id-token")).toBe(true);

    shopify.toast.show("Saved", { isError: false });
    expect(toParent.at(-1)).toMatchObject({ type: "toast", data: { message: "Saved", isError: false } });

    window.document.body.innerHTML =
      '<ui-nav-menu><a href="/app" rel="home">Home</a><a href="/app/sync">Sync</a></ui-nav-menu><ui-title-bar title="Sync status"><button variant="primary">Run</button></ui-title-bar>';
    await new Promise((r) => setTimeout(r, 20));
    expect(toParent.filter((m) => m.type === "nav").at(-1)!.data.items).toEqual([
      { label: "Home", href: "/app", home: true },
      { label: "Sync", href: "/app/sync", home: false },
    ]);
    expect(toParent.filter((m) => m.type === "title").at(-1)!.data).toMatchObject({
      title: "Sync status",
      buttons: [{ label: "Run", variant: "primary" }],
    });

    let navigatedTo: string | null = null;
    window.addEventListener("shopify:navigate", (event) => {
      navigatedTo = (event.target as unknown as { getAttribute(n: string): string }).getAttribute("href");
    });
    window.dispatchEvent(
      new window.MessageEvent("message", {
        data: { source: "shopify-emulator-shell", type: "navigate", data: { href: "/app/sync" } },
        origin: server.origin,
      }),
    );
    expect(navigatedTo).toBe("/app/sync");
    await window.happyDOM.close();
  });
});
