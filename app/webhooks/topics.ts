// The webhook topics Shop Sync subscribes to (shopify.app.toml) and how each is handled. The TOML is
// the source of truth for subscriptions; a test checks this list and the TOML agree; server.ts hands every
// `/webhooks/<topic>` path to ingest (app/webhooks/http.server.ts).
export const SYNC_TOPICS = [
  "products/create",
  "products/update",
  "products/delete",
  "inventory_levels/update",
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
  "bulk_operations/finish",
] as const;

export const LIFECYCLE_TOPICS = ["app/uninstalled", "app/scopes_update"] as const;

export const COMPLIANCE_TOPICS = ["customers/data_request", "customers/redact", "shop/redact"] as const;

export const SUBSCRIBED_TOPICS = [...SYNC_TOPICS, ...LIFECYCLE_TOPICS, ...COMPLIANCE_TOPICS] as const;

export type WebhookTopic = (typeof SUBSCRIBED_TOPICS)[number];

export function isSubscribedTopic(topic: string): topic is WebhookTopic {
  return (SUBSCRIBED_TOPICS as readonly string[]).includes(topic);
}

/**
 * The topic a webhook route serves, from its path: `/webhooks/shop/redact` → `shop/redact` (the URIs
 * of shopify.app.toml). Null for a path that is no subscribed topic's route. Ingest checks a
 * delivery's X-Shopify-Topic against this (app/webhooks/signed-delivery.server.ts).
 */
export function topicOfWebhookPath(pathname: string): WebhookTopic | null {
  const match = /^\/webhooks\/([a-z_]+\/[a-z_]+)\/?$/.exec(pathname);
  return match?.[1] && isSubscribedTopic(match[1]) ? match[1] : null;
}
