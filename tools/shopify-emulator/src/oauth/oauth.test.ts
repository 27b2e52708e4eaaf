// The token endpoint spoken to directly (JSON and form bodies, rotation rules, refusals). The same
// endpoint through the real shopify-app-remix library is in library.test.ts.
import { SignJWT } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { shopifyApi, ApiVersion } from "@shopify/shopify-api";
import "@shopify/shopify-api/adapters/web-api";
import type { EmulatorContext } from "../context";
import { oauthRoutes } from "./routes";
import { createTestContext, startTestServer, TEST_APP } from "./testing";

const SHOP = "test-shop.myshopify.com";
const OTHER = "other-shop.myshopify.com";
const EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
const ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
const OFFLINE = "urn:shopify:params:oauth:token-type:offline-access-token";
const ONLINE = "urn:shopify:params:oauth:token-type:online-access-token";

let ctx: EmulatorContext;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeEach(async () => {
  ctx = createTestContext();
  server = await startTestServer(ctx, (f) => f.register(oauthRoutes, { ctx }));
});
afterEach(async () => {
  await server.close();
});

async function post(body: Record<string, string>, opts: { shop?: string; form?: boolean } = {}) {
  const res = await server.fastify.inject({
    method: "POST",
    url: "/admin/oauth/access_token",
    headers: {
      "x-forwarded-host": opts.shop ?? SHOP,
      "content-type": opts.form ? "application/x-www-form-urlencoded" : "application/json",
    },
    payload: opts.form ? new URLSearchParams(body).toString() : JSON.stringify(body),
  });
  return { status: res.statusCode, json: res.json() as Record<string, unknown> };
}

const client = { client_id: TEST_APP.apiKey, client_secret: TEST_APP.apiSecret };

async function exchange(idToken: string, extra: Record<string, string> = {}, shop = SHOP) {
  return post(
    {
      ...client,
      grant_type: EXCHANGE,
      subject_token: idToken,
      subject_token_type: ID_TOKEN,
      requested_token_type: OFFLINE,
      expiring: "1",
      ...extra,
    },
    { shop },
  );
}

describe("token exchange", () => {
  it("issues an expiring offline token with a refresh token for a valid session token", async () => {
    const idToken = await ctx.auth!.issueSessionToken(SHOP);
    const { status, json } = await exchange(idToken);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      access_token: expect.stringMatching(/^shpat_/),
      scope: "write_products,read_orders",
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^shprt_/),
      refresh_token_expires_in: 90 * 24 * 3600,
    });
    expect(ctx.auth!.validateAccessToken(SHOP, json.access_token as string)).toMatchObject({ ok: true });
    expect(ctx.auth!.validateAccessToken(OTHER, json.access_token as string)).toEqual({
      ok: false,
      reason: "wrong_shop",
    });
  });

  it("accepts a form body and gives the same non-expiring offline token twice", async () => {
    const idToken = await ctx.auth!.issueSessionToken(SHOP);
    const body = {
      ...client,
      grant_type: EXCHANGE,
      subject_token: idToken,
      subject_token_type: ID_TOKEN,
      requested_token_type: OFFLINE,
    };
    const a = await post(body, { form: true });
    const b = await post(body);
    expect(a.status).toBe(200);
    expect(a.json).not.toHaveProperty("expires_in");
    expect(a.json).not.toHaveProperty("refresh_token");
    expect(b.json.access_token).toBe(a.json.access_token);
  });

  it("issues online tokens with the associated user", async () => {
    const idToken = await ctx.auth!.issueSessionToken(SHOP, { userId: "42" });
    const { json } = await exchange(idToken, { requested_token_type: ONLINE });
    expect(json).toMatchObject({
      access_token: expect.stringMatching(/^shpua_/),
      expires_in: 86399,
      associated_user: { id: 42, account_owner: true },
    });
  });

  it("refuses bad session tokens with invalid_subject_token", async () => {
    const now = Math.floor(Date.now() / 1000);
    const sign = (claims: Record<string, unknown>, secret = TEST_APP.apiSecret) =>
      new SignJWT({
        iss: `https://${SHOP}/admin`,
        dest: `https://${SHOP}`,
        aud: TEST_APP.apiKey,
        sub: "1",
        exp: now + 60,
        nbf: now,
        iat: now,
        ...claims,
      })
        .setProtectedHeader({ alg: "HS256" })
        .sign(new TextEncoder().encode(secret));
    const cases = [
      await sign({}, "wrong-secret"),
      await sign({ aud: "someone-else" }),
      await sign({ exp: now - 120, nbf: now - 180, iat: now - 180 }),
      await sign({ dest: `https://${OTHER}` }),
      "not-a-jwt",
    ];
    for (const token of cases) {
      const { status, json } = await exchange(token);
      expect(status).toBe(400);
      expect(json.error).toBe("invalid_subject_token");
    }
  });

  it("refuses a wrong client secret", async () => {
    const idToken = await ctx.auth!.issueSessionToken(SHOP);
    const { status, json } = await exchange(idToken, { client_secret: "nope" });
    expect(status).toBe(401);
    expect(json.error).toBe("invalid_client");
  });

  it("migrates a non-expiring offline token and revokes it", async () => {
    const idToken = await ctx.auth!.issueSessionToken(SHOP);
    const old = (await exchange(idToken, { expiring: "0" })).json.access_token as string;
    const { status, json } = await post({
      ...client,
      grant_type: EXCHANGE,
      subject_token: old,
      subject_token_type: OFFLINE,
      requested_token_type: OFFLINE,
      expiring: "1",
    });
    expect(status).toBe(200);
    expect(json.refresh_token).toBeTruthy();
    expect(ctx.auth!.validateAccessToken(SHOP, old)).toEqual({ ok: false, reason: "revoked" });
  });
});

describe("refresh_token grant", () => {
  const refresh = (token: string) => post({ ...client, grant_type: "refresh_token", refresh_token: token });

  it("rotates; the previous token works until its replacement is first used", async () => {
    const first = (await exchange(await ctx.auth!.issueSessionToken(SHOP))).json;
    const rt1 = first.refresh_token as string;

    const second = await refresh(rt1);
    expect(second.status).toBe(200);
    const rt2 = second.json.refresh_token as string;
    expect(rt2).not.toBe(rt1);
    expect(second.json.access_token).not.toBe(first.access_token);

    // A retry with rt1 (say the app lost the response) still works while rt2 is unused.
    const retry = await refresh(rt1);
    expect(retry.status).toBe(200);
    const rt2b = retry.json.refresh_token as string;

    // The first use of a replacement ends the previous token and the other replacement.
    expect((await refresh(rt2b)).status).toBe(200);
    expect(await refresh(rt1)).toMatchObject({ status: 400, json: { error: "invalid_grant" } });
    expect((await refresh(rt2)).status).toBe(400);
  });

  it("rejects unknown refresh tokens and tokens of another shop", async () => {
    const first = (await exchange(await ctx.auth!.issueSessionToken(SHOP))).json;
    expect((await refresh("shprt_nope")).status).toBe(400);
    const other = await post(
      { ...client, grant_type: "refresh_token", refresh_token: first.refresh_token as string },
      { shop: OTHER },
    );
    expect(other.status).toBe(400);
  });
});

describe("uninstall and revocation", () => {
  it("revokes every token of the shop on app/uninstalled", async () => {
    const json = (await exchange(await ctx.auth!.issueSessionToken(SHOP))).json;
    ctx.events.emit("change", {
      shop: SHOP,
      topic: "app/uninstalled",
      resource: {},
      triggeredAt: new Date(),
      eventId: "1",
    });
    expect(ctx.auth!.validateAccessToken(SHOP, json.access_token as string)).toEqual({ ok: false, reason: "revoked" });
    const again = await post({ ...client, grant_type: "refresh_token", refresh_token: json.refresh_token as string });
    expect(again.status).toBe(400);
  });

  it("expires tokens on the clock", async () => {
    let now = Date.now();
    const local = createTestContext();
    const s = await startTestServer(local, (f) =>
      f.register(oauthRoutes, { ctx: local, lifetimes: { accessTokenSeconds: 10 }, now: () => now }),
    );
    try {
      const res = await s.fastify.inject({
        method: "POST",
        url: "/admin/oauth/access_token",
        headers: { host: SHOP },
        payload: {
          ...client,
          grant_type: EXCHANGE,
          subject_token: await local.auth!.issueSessionToken(SHOP),
          subject_token_type: ID_TOKEN,
          expiring: "1",
        },
      });
      const token = res.json().access_token as string;
      expect(res.json().expires_in).toBe(10);
      expect(local.auth!.validateAccessToken(SHOP, token).ok).toBe(true);
      now += 10_001;
      expect(local.auth!.validateAccessToken(SHOP, token)).toEqual({ ok: false, reason: "expired" });
    } finally {
      await s.close();
    }
  });
});

describe("authorization code grant", () => {
  it("redirects with a callback query the library accepts, and the code works once", async () => {
    const api = shopifyApi({
      apiKey: TEST_APP.apiKey,
      apiSecretKey: TEST_APP.apiSecret,
      apiVersion: ApiVersion.October26,
      hostName: "my-test-app.myshopify.io",
      isEmbeddedApp: false,
      scopes: ["write_products"],
      logger: { log: () => {} },
    });
    const redirectUri = `${TEST_APP.appUrl}/auth/callback`;
    const res = await server.fastify.inject({
      method: "GET",
      url: `/admin/oauth/authorize?client_id=${TEST_APP.apiKey}&scope=write_products&redirect_uri=${encodeURIComponent(redirectUri)}&state=nonce%20123&grant_options[]=`,
      headers: { "x-forwarded-host": SHOP },
    });
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(location.origin + location.pathname).toBe(redirectUri);
    expect([...location.searchParams.keys()].sort()).toEqual(["code", "hmac", "host", "shop", "state", "timestamp"]);
    expect(location.searchParams.get("state")).toBe("nonce 123");
    expect(await api.utils.validateHmac(Object.fromEntries(location.searchParams))).toBe(true);

    const body = { ...client, code: location.searchParams.get("code")!, expiring: "1" };
    const first = await post(body);
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ scope: "write_products", expires_in: 3600 });
    expect((await post(body)).status).toBe(400);
  });

  it("refuses a redirect_uri off the app's origin", async () => {
    const res = await server.fastify.inject({
      method: "GET",
      url: `/admin/oauth/authorize?shop=${SHOP}&client_id=${TEST_APP.apiKey}&redirect_uri=https://evil.example/cb&state=x`,
    });
    expect(res.statusCode).toBe(400);
  });
});
