// The single integration point with Shopify: the only shopifyApp() call. Routes get `authenticate`,
// background code gets `unauthenticated.admin(shop)`; both hand `admin` to app/admin-api.
import "@shopify/shopify-app-remix/adapters/node";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { HttpResponseError, LogSeverity, shopifyApi, WebhookValidationErrorReason } from "@shopify/shopify-api";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminApiError, AdminGraphqlClient } from "~/admin-api/client.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { EncryptedSessionStorage } from "~/sessions/encrypted-session-storage.server";
import { TokenCipher } from "~/sessions/token-cipher.server";
import { allowEmulatorFrame, redirectAdminToEmulator, routeShopRequestsTo } from "~/shopify/emulator-seam.server";
import { completeInstall } from "~/stores/install.server";
import { EVENTS_HMAC_HEADER, verifyWebhookHmac, type HeaderReader } from "~/webhooks/verification.server";

const config = env();

// The emulator seam (docs/decisions/0004-emulator-seam.md): chosen once, here, at start-up. The
// adapter import above installed the platform fetch; with SHOPIFY_EMULATOR_URL set we wrap it.
if (config.SHOPIFY_EMULATOR_URL) {
  setAbstractFetchFunc(routeShopRequestsTo(config.SHOPIFY_EMULATOR_URL, abstractFetch));
}

export const apiVersion = ApiVersion.October26;

export const sessionStorage = new EncryptedSessionStorage(
  new PrismaSessionStorage(db),
  new TokenCipher(config.TOKEN_ENCRYPTION_KEYS),
);

const shopify = shopifyApp({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES,
  appUrl: config.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage,
  distribution: AppDistribution.AppStore,
  future: {
    unstable_newEmbeddedAuthStrategy: true,
    expiringOfflineAccessTokens: true,
  },
  hooks: {
    // Called once per token exchange; if it fails, the next page load, API call or webhook
    // processing finishes the install (app/stores/install.server.ts).
    afterAuth: async ({ session, admin }) => {
      await completeInstall(session.shop, new AdminGraphqlClient(admin));
    },
  },
});

const emulatorOrigin = config.SHOPIFY_EMULATOR_URL;

// Webhook verification for ingest. authenticate.webhook verifies the HMAC and then loads the shop's
// offline session (and refreshes an expiring token) to hand the route an `admin` client: a database
// read, sometimes a network call, on every delivery, for a client ingest never uses (it only stores the
// delivery; processing runs later, in a job, with unauthenticated.admin). Ingest runs the library's
// check (webhooks.validate) as node:crypto code proven equal to it (app/webhooks/verification.server.ts),
// and the library's shop-domain sanitizer, on an instance configured as shopifyApp configures its own.
// The same instance refreshes offline tokens for background code (refreshExpiringOfflineSession).
const appUrl = new URL(config.SHOPIFY_APP_URL);
const libraryApi = shopifyApi({
  apiKey: config.SHOPIFY_API_KEY,
  apiSecretKey: config.SHOPIFY_API_SECRET,
  apiVersion,
  scopes: config.SCOPES,
  hostName: appUrl.host,
  hostScheme: appUrl.protocol === "http:" ? "http" : "https",
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Warning },
});

export type WebhookVerification =
  | { valid: true; shop: string; topic: string; webhookId: string; apiVersion: string }
  | { valid: false; status: 400 | 401; reason: string };

/**
 * Checks a delivery's HMAC and headers as authenticate.webhook does: 401 for a wrong signature, 400
 * for missing headers or body, or a shop header that is not a shop domain. A delivery in the Events
 * format (its signature in `shopify-hmac-sha256`) is refused with 400: Shop Sync subscribes to none.
 */
export function verifyWebhook(header: HeaderReader, rawBody: string): WebhookVerification {
  if (header(EVENTS_HMAC_HEADER)) return { valid: false, status: 400, reason: "events-format delivery" };
  const check = verifyWebhookHmac(header, rawBody, config.SHOPIFY_API_SECRET);
  if (!check.valid) {
    const forged = check.reason === WebhookValidationErrorReason.InvalidHmac;
    return { valid: false, status: forged ? 401 : 400, reason: check.reason };
  }
  const shop = libraryApi.utils.sanitizeShop(check.domain);
  if (!shop) return { valid: false, status: 400, reason: "invalid shop domain" };
  return { valid: true, shop, topic: check.topic, webhookId: check.webhookId, apiVersion: check.apiVersion };
}

// shopify-app-remix refreshes an expiring offline token within 5 minutes of its expiry
// (WITHIN_MILLISECONDS_OF_EXPIRY, server/helpers/ensure-offline-token-is-not-expired.js).
const REFRESH_WITHIN_MS = 5 * 60_000;

// Shopify's answer to a refresh token it will not take (revoked by an uninstall, or expired):
// HTTP 400 {"error": "invalid_grant"} (the emulator answers the same: tools/shopify-emulator/src/oauth).
const refusedGrant = z.object({ error: z.literal("invalid_grant") });

/**
 * Refreshes `shop`'s stored offline session when unauthenticated.admin(shop) would (an expiring token
 * within 5 minutes of expiry), with the library's own refresh call, and stores the new pair as the
 * library does — before unauthenticated.admin, which then finds the token fresh. Done here because
 * the library turns every failed refresh into a bare HTTP 500 Response, so Shopify refusing the
 * refresh token could not be told from Shopify failing to answer: refused, it is an AdminApiError
 * UNAUTHORIZED (no retry brings the grant back; app/uninstalled takes it as the uninstall confirmed,
 * docs/decisions/0039-confirm-uninstall-with-shopify.md); anything else is thrown as it came, for
 * the Admin client to retry as transient. Without a session there is nothing to refresh
 * (unauthenticated.admin then throws SessionNotFoundError).
 */
export async function refreshExpiringOfflineSession(shop: string): Promise<void> {
  const session = await sessionStorage.loadSession(libraryApi.session.getOfflineId(shop));
  if (!session?.refreshToken || !session.isExpired(REFRESH_WITHIN_MS)) return;
  let refreshed: Awaited<ReturnType<typeof libraryApi.auth.refreshToken>>["session"];
  try {
    ({ session: refreshed } = await libraryApi.auth.refreshToken({ shop, refreshToken: session.refreshToken }));
  } catch (error) {
    if (
      error instanceof HttpResponseError &&
      error.response.code === 400 &&
      refusedGrant.safeParse(error.response.body).success
    ) {
      throw new AdminApiError(`Shopify refused the refresh token of ${shop} (invalid_grant)`, null, {
        code: "UNAUTHORIZED",
        cause: error,
      });
    }
    throw error;
  }
  await sessionStorage.storeSession(refreshed);
}

export default shopify;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const registerWebhooks = shopify.registerWebhooks;

export const addDocumentResponseHeaders: typeof shopify.addDocumentResponseHeaders = (request, headers) => {
  shopify.addDocumentResponseHeaders(request, headers);
  if (emulatorOrigin) allowEmulatorFrame(headers, emulatorOrigin);
};

export const login: typeof shopify.login = async (request) => {
  try {
    return await shopify.login(request);
  } catch (thrown) {
    throw emulatorOrigin ? redirectAdminToEmulator(thrown, emulatorOrigin) : thrown;
  }
};
