// What a signed webhook delivery may claim. Shopify's HMAC covers the body only: X-Shopify-Topic,
// X-Shopify-Shop-Domain, X-Shopify-Webhook-Id and X-Shopify-Triggered-At are not signed, so anyone who
// saw one signed delivery can send its body again with any headers. The signed body therefore decides:
// a delivery is accepted only when its headers and its route agree with what the body says, and with
// what we already know about the shop (docs/decisions/0016-trust-boundary.md). Pure, so every rule is
// unit-tested (signed-delivery.server.test.ts); ingest (ingest.server.ts) calls it before storing
// anything, and a refused delivery is stored nowhere.
import type { WebhookTopic } from "./topics";

export type DeliveryRefusalEvent = "topic_mismatch" | "shop_mismatch" | "shop_id_mismatch" | "body_mismatch";

export interface DeliveryRefusal {
  event: DeliveryRefusalEvent;
  reason: string;
}

export interface DeliveryClaims {
  /** The topic of the route (URL path) the delivery was posted to. */
  routeTopic: WebhookTopic;
  /** X-Shopify-Topic (unsigned). */
  headerTopic: string;
  /** X-Shopify-Shop-Domain (unsigned), already a sanitized myshopify domain. */
  headerShop: string;
  /** The signed body, parsed with ids above 2^53 kept exact (strings). */
  body: unknown;
  /**
   * The numeric Shopify id of the header's shop as stored on its store row (from
   * `gid://shopify/Shop/<id>`), or null when we do not know it (a shop not installed yet).
   */
  knownShopId: string | null;
}

/** Topics whose body names the shop it is about: ingest looks up the stored shop id for these. */
export const SHOP_NAMING_TOPICS: ReadonlySet<WebhookTopic> = new Set<WebhookTopic>([
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
]);

/** The Admin GraphQL type a resource topic's `admin_graphql_api_id` must have. */
const RESOURCE_TYPE: Partial<Record<WebhookTopic, string>> = {
  "products/create": "Product",
  "products/update": "Product",
  "orders/create": "Order",
  "orders/updated": "Order",
  "orders/paid": "Order",
  "orders/cancelled": "Order",
  "inventory_levels/update": "InventoryLevel",
  "bulk_operations/finish": "BulkOperation",
};

const sameDomain = (a: unknown, b: string) => typeof a === "string" && a.trim().toLowerCase() === b.toLowerCase();

const idText = (value: unknown): string | null =>
  typeof value === "number" || typeof value === "bigint" || (typeof value === "string" && /^\d+$/.test(value))
    ? String(value)
    : null;

const refuse = (event: DeliveryRefusalEvent, reason: string): DeliveryRefusal => ({ event, reason });

/** The numeric id of a `gid://shopify/Shop/<id>`, or null. */
export function shopIdOf(shopGid: string | null | undefined): string | null {
  return /^gid:\/\/shopify\/Shop\/(\d+)$/.exec(shopGid ?? "")?.[1] ?? null;
}

/** Null when the delivery may be stored; else why it is refused. */
export function checkSignedDelivery(claims: DeliveryClaims): DeliveryRefusal | null {
  const { routeTopic, headerTopic, body } = claims;
  if (headerTopic !== routeTopic) {
    return refuse("topic_mismatch", `X-Shopify-Topic ${JSON.stringify(headerTopic)} posted to the ${routeTopic} route`);
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return refuse("body_mismatch", `a ${routeTopic} body is a JSON object`);
  }
  const fields = body as Record<string, unknown>;
  switch (routeTopic) {
    case "shop/redact":
    case "customers/redact":
    case "customers/data_request":
      return (
        checkNamedShop(fields.shop_domain, fields.shop_id, "shop_domain", "shop_id", claims) ??
        checkComplianceShape(routeTopic, fields)
      );
    case "app/uninstalled":
      // The body is the Shop: myshopify_domain names it; `domain` is the primary domain, which may be a
      // custom one, so it counts only when the body has no myshopify_domain.
      return checkNamedShop(
        fields.myshopify_domain ?? fields.domain,
        fields.id,
        fields.myshopify_domain != null ? "myshopify_domain" : "domain",
        "id",
        claims,
      );
    case "products/delete":
      // Carries only the product's id. A product's own body (products/create or update, signed for
      // another purpose) posted here would delete the product it describes.
      if (idText(fields.id) === null) return refuse("body_mismatch", "a products/delete body names the product id");
      if (Object.keys(fields).some((key) => key !== "id")) {
        return refuse("body_mismatch", "a products/delete body carries only the product id");
      }
      return null;
    case "app/scopes_update":
      if (!("current" in fields)) return refuse("body_mismatch", "an app/scopes_update body lists the current scopes");
      return null;
    default: {
      const type = RESOURCE_TYPE[routeTopic];
      if (!type) return null;
      const resource = fields.admin_graphql_api_id;
      if (typeof resource !== "string" || !resource.startsWith(`gid://shopify/${type}/`)) {
        return refuse(
          "body_mismatch",
          `a ${routeTopic} body is about a ${type}, not ${typeof resource === "string" ? resource.replace(/\/[^/]*$/, "") : "nothing"}`,
        );
      }
      if (routeTopic === "orders/cancelled" && (fields.cancelled_at === null || fields.cancelled_at === undefined)) {
        return refuse("body_mismatch", "an orders/cancelled body is a cancelled order");
      }
      if (type === "Order") return checkOrderStatusUrl(fields.order_status_url, claims);
      return null;
    }
  }
}

/**
 * The three compliance bodies differ by what they carry: shop/redact names no customer; customers/redact
 * names a customer and the orders to redact; customers/data_request a customer and the data request.
 * One's body on another's route (a data request's body on shop/redact would purge the shop) is refused.
 */
function checkComplianceShape(topic: WebhookTopic, fields: Record<string, unknown>): DeliveryRefusal | null {
  const hasCustomer = fields.customer !== null && typeof fields.customer === "object";
  const isRequest = "data_request" in fields || "orders_requested" in fields;
  const fits =
    topic === "shop/redact"
      ? !("customer" in fields) && !isRequest && !("orders_to_redact" in fields)
      : topic === "customers/redact"
        ? hasCustomer && !isRequest
        : hasCustomer && isRequest && !("orders_to_redact" in fields);
  return fits ? null : refuse("body_mismatch", `the body is not a ${topic} request`);
}

function checkNamedShop(
  namedDomain: unknown,
  namedId: unknown,
  domainField: string,
  idField: string,
  { routeTopic, headerShop, knownShopId }: DeliveryClaims,
): DeliveryRefusal | null {
  if (!sameDomain(namedDomain, headerShop)) {
    return refuse(
      "shop_mismatch",
      `the ${routeTopic} body's ${domainField} ${JSON.stringify(namedDomain ?? null)} is not X-Shopify-Shop-Domain ${headerShop}`,
    );
  }
  const bodyShopId = idText(namedId);
  if (knownShopId !== null && bodyShopId !== null && bodyShopId !== knownShopId) {
    return refuse("shop_id_mismatch", `the ${routeTopic} body's ${idField} ${bodyShopId} is not ${headerShop}'s id`);
  }
  return null;
}

/**
 * An order's status page is on its shop: `https://<shop>.myshopify.com/<shop id>/orders/…` (or on the
 * shop's primary domain, which we cannot tell from another's here, so only a myshopify.com host is
 * compared). An order of one shop replayed with another shop's header would copy its customer's
 * personal data into the other store's mirror.
 */
function checkOrderStatusUrl(url: unknown, { routeTopic, headerShop }: DeliveryClaims): DeliveryRefusal | null {
  if (typeof url !== "string" || !URL.canParse(url)) return null;
  const host = new URL(url).hostname.toLowerCase();
  if (!host.endsWith(".myshopify.com") || host === headerShop.toLowerCase()) return null;
  return refuse("shop_mismatch", `the ${routeTopic} body's order_status_url is on ${host}, not ${headerShop}`);
}
