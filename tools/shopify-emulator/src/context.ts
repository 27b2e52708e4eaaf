// The contract between the emulator's surfaces. Every surface module (admin-graphql, bulk-operations,
// oauth, webhooks, admin-shell, control) is a Fastify plugin that receives this context; none of them
// imports another surface directly, so each can be read and tested on its own.
import type { EventEmitter } from "node:events";

import type { CustomerDataAccess } from "./customer-data";

/** What the emulator knows about the app under test: what Shopify reads from the Partner Dashboard
 * and the app's `shopify.app.toml`. */
export interface EmulatedApp {
  apiKey: string; // client_id
  apiSecret: string; // client secret: signs session tokens and webhook HMACs
  appUrl: string; // application_url, where the admin shell points its iframe and webhooks resolve
  scopes: string[];
  webhookApiVersion: string;
  /** App-specific subscriptions from the TOML: `uri` already resolved against appUrl. */
  webhookSubscriptions: Array<{ topics: string[]; uri: string; complianceTopics: string[]; name?: string }>;
}

export type Plan = "standard" | "advanced" | "plus";

/** Emitted by the store whenever merchants, customers or the app change a shop; the webhook sender
 * turns these into deliveries. `resource` is the store's object after the change (or before, for
 * deletions). */
export interface StoreChange {
  shop: string; // myshopify domain
  topic: string; // Shopify webhook topic, e.g. "products/update"
  resource: unknown;
  triggeredAt: Date;
  /** Shared by all deliveries caused by the same action (X-Shopify-Event-Id). */
  eventId: string;
}

export interface EmulatorContext {
  app: EmulatedApp;
  /** Emits "change" (StoreChange). */
  events: EventEmitter;
  /** Public origin of the emulator itself, e.g. http://127.0.0.1:4010 (for signed bulk URLs, the shell). */
  origin(): string;
  /** Multiplies every wait the emulator imposes (retry backoff, bulk-operation progress, token
   * lifetimes are separate): 1 = Shopify's real timings, 0.001 = a thousand times faster for tests. */
  timeScale: number;
  /** Installed by oauthRoutes (token validation for the Admin API, session tokens for the shell). */
  auth?: AuthAuthority;
  /** Provided by the core store: subscriptions created via the Admin API for one shop. The webhook
   * sender calls it on every change, so keep it cheap. */
  shopWebhookSubscriptions?: (shop: string) => ShopWebhookSubscription[];
  /** Provided by the core store: oauth calls it whenever it issues an access token for a shop
   * (token exchange, auth-code grant), as Shopify-managed installation does. Return false for a shop
   * the emulator does not know: the token endpoint then answers 404 like a nonexistent shop. */
  installApp?: (shop: string, scopes: string[]) => boolean;
  /** Provided by the core store: the app's protected customer data approval on a shop
   * (customer-data.ts); the webhook sender redacts payloads by it. */
  customerDataAccess?: (shop: string) => CustomerDataAccess;
  /** Provided by the core store: a product as the admin shell's product page shows it (null: none). */
  productSummary?: (shop: string, productId: string) => ProductSummary | null;
}

export interface ProductSummary {
  gid: string;
  title: string;
  variants: Array<{ title: string; sku: string | null; available: number }>;
}

// ---------------------------------------------------------------------------------------------
// Optional capabilities that one surface provides and others consume at request time. They are
// optional so a surface can be booted (and tested) alone; server.ts registers the providing plugin
// (oauthRoutes installs `ctx.auth`) before traffic arrives.

/** Result of checking an Admin API access token (the `X-Shopify-Access-Token` header). */
export type AccessTokenValidation =
  | { ok: true; scopes: string[]; kind: "offline" | "online"; expiresAt: Date | null }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "wrong_shop" };

/** Shopify's answer to an Admin API call with a bad token: HTTP 401 and this exact JSON body. */
export const ADMIN_API_UNAUTHORIZED = {
  status: 401,
  body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" },
} as const;

export interface AuthAuthority {
  /** Is `token` a live Admin API access token for `shop`? Revoked, expired and unknown tokens → ok:false
   * (answer with ADMIN_API_UNAUTHORIZED). */
  validateAccessToken(shop: string, token: string): AccessTokenValidation;
  /** A fresh App Bridge session token (id_token JWT, HS256 with the app secret, 1 minute). */
  issueSessionToken(shop: string, opts?: { userId?: string }): Promise<string>;
  /** Revokes every access and refresh token of the shop (uninstall). */
  revokeShop(shop: string): void;
}

/** A shop-specific subscription created through `webhookSubscriptionCreate` (stored by the core). */
export interface ShopWebhookSubscription {
  id: string; // gid://shopify/WebhookSubscription/…
  topic: string; // "products/update" (REST form); "PRODUCTS_UPDATE" is accepted too
  uri: string; // absolute callback URL
  name?: string | null;
  apiVersion?: string | null; // defaults to the app's webhook api_version
}

// ---------------------------------------------------------------------------------------------
// What `StoreChange.resource` holds, per topic (built by the core store from state/views.ts; ids are
// decimal strings because many exceed 2^53, times ISO-8601 UTC, money decimal strings):
//   products/create, products/update, products/delete  ProductView (delete: the product before deletion)
//   inventory_levels/update                            InventoryLevelView
//   orders/create|updated|paid|cancelled                OrderView
//   app/uninstalled                                    ShopView
//   app/scopes_update                                  { id, previous: string[], current: string[], updatedAt }
//   customers/data_request                             { shopId, shopDomain, customer: {id,email,phone}, ordersRequested: string[], dataRequest: {id} }
//   customers/redact                                   { shopId, shopDomain, customer: {id,email,phone}, ordersToRedact: string[] }
//   shop/redact                                        { shopId, shopDomain }
//   bulk_operations/finish                             BulkOperationView (status/errorCode upper-case, as in GraphQL)
export type {
  BulkOperationView,
  CustomerView,
  InventoryLevelView,
  LineItemView,
  LocationView,
  OrderView,
  ProductView,
  ShopView,
  VariantView,
} from "./state/views";
