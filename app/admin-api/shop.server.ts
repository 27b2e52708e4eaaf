// The `shop` query: what Shop Sync records about a store connection when the app is installed, and
// whether Shopify still has the app installed (asked with the shop's offline token).
import { z } from "zod";
import { AdminApiError, type AdminGraphqlClient } from "./client.server";
import { APP_INSTALLATION_CHECK_QUERY, SHOP_CONNECTION_QUERY } from "./operations";

const shopConnectionSchema = z.object({
  shop: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    myshopifyDomain: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string().nullable(),
    plan: z.object({ publicDisplayName: z.string() }).nullable(),
    primaryDomain: z.object({ host: z.string() }).nullable(),
  }),
  appInstallation: z.object({ accessScopes: z.array(z.object({ handle: z.string() })) }),
});

export type ShopConnection = z.infer<typeof shopConnectionSchema>;

export async function fetchShopConnection(client: AdminGraphqlClient): Promise<ShopConnection> {
  return client.query(SHOP_CONNECTION_QUERY, shopConnectionSchema);
}

const appInstallationCheckSchema = z.object({ shop: z.object({ id: z.string() }) });

/**
 * What Shopify said about the app's installation on a shop: still installed (it accepted the offline
 * token), or not — Shopify refused the token (401: an uninstall revokes every token of the shop), or
 * no offline session is stored, so there is no installation left to ask about.
 */
export type InstallationCheck = { installed: true } | { installed: false; because: "token_revoked" | "no_session" };

/**
 * Asks Shopify, with the client's offline token, whether the app is still installed
 * (docs/decisions/0039-confirm-uninstall-with-shopify.md). An answer in which Shopify ran the query —
 * its data, or GraphQL errors in an HTTP 200 — means it accepted the token: installed. The client
 * reloads the session once after a 401 (a refreshed token) before it reports UNAUTHORIZED, so a 401
 * here is Shopify refusing the installation's current token. Anything else proves neither (5xx, 429,
 * THROTTLED, no answer, an open circuit, another HTTP status such as 402 for a frozen shop): the
 * client's error is thrown, for the caller to try again later.
 */
export async function checkAppInstallation(client: AdminGraphqlClient): Promise<InstallationCheck> {
  try {
    await client.query(APP_INSTALLATION_CHECK_QUERY, appInstallationCheckSchema);
    return { installed: true };
  } catch (error) {
    if (!(error instanceof AdminApiError)) throw error;
    switch (error.code) {
      case "UNAUTHORIZED":
        return { installed: false, because: "token_revoked" };
      case "NO_SESSION":
        return { installed: false, because: "no_session" };
      case "GRAPHQL_ERRORS":
      case "BAD_RESPONSE":
        return { installed: true };
      default:
        throw error;
    }
  }
}
