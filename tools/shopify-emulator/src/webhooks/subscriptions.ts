// Where a change is delivered: the app-specific subscriptions from shopify.app.toml (already on
// ctx.app) plus the shop-specific ones created through webhookSubscriptionCreate (ctx hook).
import { parse as parseToml } from "smol-toml";
import { z } from "zod";
import type { EmulatedApp, EmulatorContext } from "../context";

export interface DeliveryTarget {
  uri: string;
  apiVersion: string;
  name?: string;
  /** "app" for TOML subscriptions, else the Admin API subscription gid. */
  source: string;
}

/** `PRODUCTS_UPDATE` → `products/update`. Topics already in REST form pass through. */
export function restTopic(topic: string): string {
  if (topic.includes("/")) return topic;
  const lower = topic.toLowerCase();
  // Enum names join the resource and the event with "_", and some resources contain "_" themselves.
  for (const prefix of [
    "inventory_levels",
    "inventory_items",
    "bulk_operations",
    "app_subscriptions",
    "customers_marketing_consent",
    "shop",
    "app",
    "customers",
    "orders",
    "products",
    "collections",
    "fulfillments",
    "locations",
    "refunds",
    "themes",
    "variants",
    "checkouts",
    "carts",
    "draft_orders",
    "order_transactions",
    "product_listings",
    "selling_plan_groups",
    "subscription_contracts",
  ]) {
    if (lower.startsWith(`${prefix}_`)) return `${prefix}/${lower.slice(prefix.length + 1)}`;
  }
  const i = lower.indexOf("_");
  return i < 0 ? lower : `${lower.slice(0, i)}/${lower.slice(i + 1)}`;
}

export function targetsFor(ctx: EmulatorContext, shop: string, topic: string): DeliveryTarget[] {
  const targets: DeliveryTarget[] = [];
  for (const sub of ctx.app.webhookSubscriptions) {
    if (sub.topics.includes(topic) || sub.complianceTopics.includes(topic)) {
      targets.push({
        uri: sub.uri,
        apiVersion: ctx.app.webhookApiVersion,
        source: "app",
        ...(sub.name && { name: sub.name }),
      });
    }
  }
  for (const sub of ctx.shopWebhookSubscriptions?.(shop) ?? []) {
    if (restTopic(sub.topic) !== topic) continue;
    targets.push({
      uri: sub.uri,
      apiVersion: sub.apiVersion ?? ctx.app.webhookApiVersion,
      source: sub.id,
      ...(sub.name && { name: sub.name }),
    });
  }
  return targets;
}

const tomlSchema = z.object({
  client_id: z.string(),
  application_url: z.string().url(),
  access_scopes: z
    .object({ scopes: z.string().default("") })
    .partial()
    .default({}),
  webhooks: z
    .object({
      api_version: z.string(),
      subscriptions: z
        .array(
          z.object({
            topics: z.array(z.string()).default([]),
            compliance_topics: z.array(z.string()).default([]),
            uri: z.string(),
            name: z.string().max(50).optional(),
          }),
        )
        .default([]),
    })
    .optional(),
});

/** Reads what Shopify would take from the app's `shopify.app.toml`. The secret is not in the TOML. */
export function appFromToml(
  tomlText: string,
  opts: { apiSecret: string; appUrl?: string; apiKey?: string },
): EmulatedApp {
  const toml = tomlSchema.parse(parseToml(tomlText));
  const appUrl = opts.appUrl ?? toml.application_url;
  return {
    apiKey: opts.apiKey ?? toml.client_id,
    apiSecret: opts.apiSecret,
    appUrl,
    scopes: (toml.access_scopes.scopes ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    webhookApiVersion: toml.webhooks?.api_version ?? "2026-10",
    webhookSubscriptions: (toml.webhooks?.subscriptions ?? []).map((s) => ({
      topics: s.topics,
      complianceTopics: s.compliance_topics,
      // A relative uri resolves against application_url (pubsub:// and arn: URIs are kept as-is).
      uri: /^[a-z][a-z0-9+.-]*:/i.test(s.uri) ? s.uri : new URL(s.uri, appUrl).toString(),
      ...(s.name && { name: s.name }),
    })),
  };
}
