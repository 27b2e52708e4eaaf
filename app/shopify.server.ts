// The single integration point with Shopify: the only shopifyApp() call. Routes get `authenticate`,
// background code gets `unauthenticated.admin(shop)`; both hand `admin` to app/admin-api.
import "@shopify/shopify-app-remix/adapters/node";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { AdminGraphqlClient } from "~/admin-api/client.server";
import { fetchShopConnection } from "~/admin-api/shop.server";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { EncryptedSessionStorage } from "~/sessions/encrypted-session-storage.server";
import { TokenCipher } from "~/sessions/token-cipher.server";
import { allowEmulatorFrame, redirectAdminToEmulator, routeShopRequestsTo } from "~/shopify/emulator-seam.server";
import { recordStoreConnection } from "~/stores/store-connection.server";
import { onShopAuthenticated } from "~/sync/triggers.server";

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
    afterAuth: async ({ session, admin }) => {
      const connection = await fetchShopConnection(new AdminGraphqlClient(admin));
      await recordStoreConnection(session.shop, connection);
      // The first full sync of a new shop; later authentications find it requested and do nothing.
      await onShopAuthenticated(session.shop);
    },
  },
});

const emulatorOrigin = config.SHOPIFY_EMULATOR_URL;

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
