// Token exchange and refresh through the real @shopify/shopify-app-remix library, whose outgoing
// fetch goes through the seam (routeShopRequestsTo, the app's own seam) to an emulator on a random port.
import { ApiVersion, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import { HttpResponseError, RequestedTokenType, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorContext } from "../context";
import { routeShopRequestsTo } from "../../../../app/shopify/emulator-seam.server";
import { oauthRoutes } from "./routes";
import { adminHostParam } from "./shop-host";
import { createTestContext, startTestServer, TEST_APP } from "./testing";

const SHOP = "test-shop.myshopify.com";
const ACCESS_TTL_SECONDS = 1;

let ctx: EmulatorContext;
let server: Awaited<ReturnType<typeof startTestServer>>;
const outgoing: string[] = [];

function makeApp() {
  return shopifyApp({
    ...testConfig(),
    apiVersion: ApiVersion.October26,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    logger: { level: LogSeverity.Error, log: () => {} },
  });
}

beforeAll(async () => {
  ctx = createTestContext();
  server = await startTestServer(ctx, (f) =>
    f.register(oauthRoutes, { ctx, lifetimes: { accessTokenSeconds: ACCESS_TTL_SECONDS } }),
  );
  const seam = routeShopRequestsTo(server.origin);
  // After importing the library: its web-api adapter installed global fetch at import time.
  setAbstractFetchFunc(async (input, init) => {
    outgoing.push(String(input instanceof Request ? input.url : input));
    return seam(input, init);
  });
});
afterAll(async () => {
  await server.close();
});

function documentRequest(idToken: string, path = "/app") {
  const url = new URL(path, TEST_APP.appUrl);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", SHOP);
  url.searchParams.set("host", adminHostParam(SHOP));
  url.searchParams.set("id_token", idToken);
  return new Request(url, { headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0" } });
}

describe("through shopify-app-remix", () => {
  it("an embedded document request with an emulator id_token gets an offline, expiring session", async () => {
    const shopify = makeApp();
    const { session } = await shopify.authenticate.admin(documentRequest(await ctx.auth!.issueSessionToken(SHOP)));
    expect(outgoing.at(-1)).toBe(`https://${SHOP}/admin/oauth/access_token`);
    expect(session.id).toBe(`offline_${SHOP}`);
    expect(session.isOnline).toBe(false);
    expect(session.refreshToken).toMatch(/^shprt_/);
    expect(session.expires!.getTime()).toBeGreaterThan(Date.now());
    expect(ctx.auth!.validateAccessToken(SHOP, session.accessToken!)).toMatchObject({ ok: true, kind: "offline" });
    expect(await shopify.sessionStorage!.loadSession(session.id)).toBeTruthy();
  });

  it("refreshes an expired access token, and refresh tokens rotate", async () => {
    const shopify = makeApp();
    const { session: first } = await shopify.authenticate.admin(
      documentRequest(await ctx.auth!.issueSessionToken(SHOP)),
    );
    await new Promise((r) => setTimeout(r, ACCESS_TTL_SECONDS * 1000 + 100));
    expect(ctx.auth!.validateAccessToken(SHOP, first.accessToken!)).toEqual({ ok: false, reason: "expired" });

    const { session: second } = await shopify.unauthenticated.admin(SHOP);
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(ctx.auth!.validateAccessToken(SHOP, second.accessToken!).ok).toBe(true);
    expect((await shopify.sessionStorage!.loadSession(`offline_${SHOP}`))?.refreshToken).toBe(second.refreshToken);

    // Using the replacement ends the first refresh token ("more resilient refreshes").
    const { session: third } = await shopify.unauthenticated.admin(SHOP);
    expect(third.refreshToken).not.toBe(second.refreshToken);
    const state = (await (await fetch(`${server.origin}/__emulator/oauth/tokens?shop=${SHOP}`)).json()) as {
      refresh: Array<{ token: string; state: string }>;
    };
    expect(state.refresh.find((r) => r.token === first.refreshToken)?.state).toBe("revoked");
    expect(state.refresh.find((r) => r.token === third.refreshToken)?.state).toBe("unused");
  });

  it("a badly signed id_token never reaches the emulator and is answered like Shopify", async () => {
    const shopify = makeApp();
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({
      iss: `https://${SHOP}/admin`,
      dest: `https://${SHOP}`,
      aud: TEST_APP.apiKey,
      sub: "1",
      exp: now + 60,
      nbf: now,
      iat: now,
    })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode("not-the-secret"));
    const before = outgoing.length;
    // Document request → bounce page redirect; fetch request → 401 asking App Bridge to retry.
    const thrown = await shopify.authenticate.admin(documentRequest(forged)).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(Response);
    expect((thrown as Response).status).toBe(302);
    expect((thrown as Response).headers.get("location")).toContain("/auth/session-token");
    const xhr = new Request(`${TEST_APP.appUrl}/app/data`, { headers: { authorization: `Bearer ${forged}` } });
    const thrownXhr = (await shopify.authenticate.admin(xhr).catch((e: unknown) => e)) as Response;
    expect(thrownXhr.status).toBe(401);
    expect(thrownXhr.headers.get("x-shopify-retry-invalid-session-request")).toBe("1");
    expect(outgoing.length).toBe(before);
  });

  it("the emulator itself refuses a session token for another shop", async () => {
    // shopify-api's own tokenExchange validates signature and audience only; the destination check is
    // Shopify's (here: the emulator's).
    const idToken = await ctx.auth!.issueSessionToken(SHOP);
    const api = shopifyApi({
      apiKey: TEST_APP.apiKey,
      apiSecretKey: TEST_APP.apiSecret,
      apiVersion: ApiVersion.October26,
      hostName: "my-test-app.myshopify.io",
      isEmbeddedApp: true,
      logger: { log: () => {} },
    });
    const error = await api.auth
      .tokenExchange({
        shop: "other-shop.myshopify.com",
        sessionToken: idToken,
        requestedTokenType: RequestedTokenType.OfflineAccessToken,
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpResponseError);
    expect((error as HttpResponseError).response.code).toBe(400);
    expect((error as HttpResponseError).response.body).toMatchObject({ error: "invalid_subject_token" });
  });
});
