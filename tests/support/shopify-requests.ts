// Requests as Shopify's admin sends them to the embedded app: a document load with `id_token`, or a
// fetch with `Authorization: Bearer`, carrying a session token signed with the app secret (HS256).
import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { SignJWT } from "jose";
import { TEST_API_KEY, TEST_API_SECRET } from "./test-env";

export async function sessionToken(shop: string, overrides: { secret?: string; expiresInSeconds?: number } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `https://${shop}/admin`,
    dest: `https://${shop}`,
    aud: TEST_API_KEY,
    sub: "42",
    sid: randomUUID(),
  })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + (overrides.expiresInSeconds ?? 60))
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(overrides.secret ?? TEST_API_SECRET));
}

export async function embeddedDocumentRequest(path: string, shop: string): Promise<Request> {
  const url = new URL(path, process.env.SHOPIFY_APP_URL);
  url.searchParams.set("embedded", "1");
  url.searchParams.set("shop", shop);
  url.searchParams.set("host", Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"));
  url.searchParams.set("id_token", await sessionToken(shop));
  return new Request(url);
}

export async function bearerRequest(path: string, shop: string, init: RequestInit = {}): Promise<Request> {
  const headers = new Headers(init.headers);
  headers.set("Authorization", `Bearer ${await sessionToken(shop)}`);
  return new Request(new URL(path, process.env.SHOPIFY_APP_URL), { ...init, headers });
}

/** An installed shop's offline session, as token exchange would have stored it. */
export function installedOfflineSession(shop: string): Session {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "",
    isOnline: false,
    scope: process.env.SCOPES,
    accessToken: `shpat_test_${shop}`,
    expires: new Date(Date.now() + 3_600_000),
    refreshToken: `shprt_test_${shop}`,
    refreshTokenExpires: new Date(Date.now() + 86_400_000),
  });
}
