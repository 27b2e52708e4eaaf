// The webhook topics Shop Sync subscribes to (shopify.app.toml) and how each is handled. The TOML is
// the source of truth for subscriptions; a test checks this list, the TOML and the route files agree.
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
