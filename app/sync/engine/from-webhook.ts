// Webhook payloads (REST-shaped, snake_case; parsed with parseWebhookBody so ids above 2^53 are exact)
// → the same rows from-graphql.ts writes for the same object. Where the two APIs spell a value
// differently, both mappers write one spelling: enums in GraphQL's uppercase, tags "a, b", addresses
// camelCase (address.ts), money padded to the currency's digits (money.ts).
import { minimiseOrderPayload, type CustomerDataPolicy } from "./customer-data";
import { z } from "zod";
import { restAddress } from "./address";
import { gid, gidOf, inventoryItemIdFromLevelGid, numericId } from "./ids";
import { dateTime, joinTags, nullableDateTime, parseInput, text, upperEnum } from "./input";
import { decimalString, parseAmount } from "./money";
import {
  jsonOrNull,
  toJson,
  without,
  type InventoryLevelRow,
  type LineItemRow,
  type OrderRow,
  type OrderWithLineItems,
  type ProductRow,
  type ProductTombstone,
  type ProductWithVariants,
  type VariantRow,
} from "./rows";

export { parseWebhookBody } from "./webhook-body";

const nullableId = numericId
  .nullable()
  .optional()
  .transform((value) => value ?? null);
const nullableInt = z
  .number()
  .int()
  .nullable()
  .optional()
  .transform((value) => value ?? null);
const nullableBoolean = z
  .boolean()
  .nullable()
  .optional()
  .transform((value) => value ?? null);

function rawOf(payload: unknown, drop: readonly string[]) {
  return toJson(without(payload as Record<string, unknown>, drop));
}

// ---- products ----------------------------------------------------------------------------------

const restVariant = z
  .object({
    admin_graphql_api_id: gidOf("ProductVariant"),
    title: text,
    sku: text,
    barcode: text,
    price: decimalString
      .nullable()
      .optional()
      .transform((value) => value ?? null),
    compare_at_price: decimalString
      .nullable()
      .optional()
      .transform((value) => value ?? null),
    position: nullableInt,
    inventory_item_id: nullableId,
    inventory_policy: text,
    inventory_quantity: nullableInt,
    option1: text,
    option2: text,
    option3: text,
    taxable: nullableBoolean,
    created_at: nullableDateTime,
    updated_at: dateTime,
  })
  .passthrough();

const restProduct = z
  .object({
    admin_graphql_api_id: gidOf("Product"),
    title: z.string(),
    handle: text,
    vendor: text,
    product_type: text,
    status: text,
    tags: z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .optional(),
    created_at: nullableDateTime,
    updated_at: dateTime,
    published_at: nullableDateTime,
    variants: z.array(z.unknown()).optional().default([]),
    options: z
      .array(z.object({ name: z.string(), position: z.number().int().optional() }).passthrough())
      .optional()
      .default([]),
  })
  .passthrough();

/** products/create and products/update. */
export function productFromWebhook(payload: unknown): ProductWithVariants {
  const p = parseInput("products webhook", restProduct, payload);
  const product: ProductRow = {
    shopifyId: p.admin_graphql_api_id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.product_type,
    status: upperEnum(p.status),
    tags: joinTags(p.tags),
    shopifyCreatedAt: p.created_at,
    shopifyUpdatedAt: p.updated_at,
    publishedAt: p.published_at,
    deletedAt: null,
    raw: rawOf(payload, ["variants"]),
  };
  // REST variants carry option1..3; the option names live on the product, ordered by position.
  const optionNames = [...p.options].sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((option) => option.name);
  const variants = p.variants.map((input, i) => {
    const v = parseInput(`products webhook: variants.${i}`, restVariant, input);
    const selectedOptions = [v.option1, v.option2, v.option3].flatMap((value, n) =>
      value === null ? [] : [{ name: optionNames[n] ?? `Option ${n + 1}`, value }],
    );
    const row: VariantRow = {
      shopifyId: v.admin_graphql_api_id,
      productId: product.shopifyId,
      title: v.title,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compare_at_price,
      position: v.position,
      inventoryItemId: v.inventory_item_id === null ? null : gid("InventoryItem", v.inventory_item_id),
      inventoryPolicy: upperEnum(v.inventory_policy),
      inventoryQuantity: v.inventory_quantity,
      selectedOptions: toJson(selectedOptions),
      taxable: v.taxable,
      shopifyCreatedAt: v.created_at,
      shopifyUpdatedAt: v.updated_at,
      raw: toJson(input),
    };
    return row;
  });
  return { product, variants };
}

/**
 * products/delete: `{id}` only, no timestamp, so the deletion time is the delivery's
 * (X-Shopify-Triggered-At; the time it was received if the header is missing).
 */
export function productDeleteFromWebhook(payload: unknown, deletedAt: Date): ProductTombstone {
  const p = parseInput("products/delete webhook", z.object({ id: numericId }).passthrough(), payload);
  return { shopifyId: gid("Product", p.id), deletedAt };
}

// ---- orders ------------------------------------------------------------------------------------

/** REST fulfillment_status → GraphQL's OrderDisplayFulfillmentStatus. REST says null for "nothing
 * fulfilled yet" and "partial" for partly fulfilled. */
const FULFILLMENT_STATUS: Record<string, string> = {
  fulfilled: "FULFILLED",
  partial: "PARTIALLY_FULFILLED",
  partially_fulfilled: "PARTIALLY_FULFILLED",
  unfulfilled: "UNFULFILLED",
  restocked: "RESTOCKED",
};

export function fulfillmentStatusFromRest(value: string | null): string {
  if (value === null) return "UNFULFILLED";
  return FULFILLMENT_STATUS[value] ?? value.toUpperCase();
}

const restLineItem = z
  .object({
    admin_graphql_api_id: gidOf("LineItem"),
    title: z.string(),
    variant_title: text,
    sku: text,
    vendor: text,
    quantity: z.number().int(),
    current_quantity: nullableInt,
    price: decimalString,
    product_id: nullableId,
    variant_id: nullableId,
  })
  .passthrough();

const restOrder = z
  .object({
    admin_graphql_api_id: gidOf("Order"),
    name: z.string(),
    order_number: nullableInt,
    email: text,
    phone: text,
    customer: z
      .object({
        id: numericId,
        admin_graphql_api_id: gidOf("Customer").optional(),
        first_name: text,
        last_name: text,
      })
      .passthrough()
      .nullable()
      .optional()
      .transform((value) => value ?? null),
    billing_address: restAddress,
    shipping_address: restAddress,
    financial_status: text,
    fulfillment_status: text,
    currency: z.string(),
    total_price: decimalString,
    subtotal_price: decimalString.nullable().optional(),
    total_tax: decimalString.nullable().optional(),
    total_discounts: decimalString.nullable().optional(),
    test: z.boolean().optional().default(false),
    tags: z
      .union([z.string(), z.array(z.string())])
      .nullable()
      .optional(),
    processed_at: nullableDateTime,
    cancelled_at: nullableDateTime,
    cancel_reason: text,
    closed_at: nullableDateTime,
    created_at: dateTime,
    updated_at: dateTime,
    line_items: z.array(z.unknown()).optional().default([]),
  })
  .passthrough();

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled (all carry the full order). With a
 * customer-data policy, fields it does not allow are dropped before mapping (./customer-data.ts), so
 * neither the columns nor `raw` keep what the app may not have; fields Shopify redacted arrive null.
 */
export function orderFromWebhook(input: unknown, customerData?: CustomerDataPolicy): OrderWithLineItems {
  const payload = customerData ? minimiseOrderPayload(input, customerData) : input;
  const o = parseInput("orders webhook", restOrder, payload);
  const currency = o.currency;
  const total = parseAmount(o.total_price, currency);
  const decimal = (value: string | null | undefined) => (value == null ? null : parseAmount(value, currency).decimal);
  const order: OrderRow = {
    shopifyId: o.admin_graphql_api_id,
    name: o.name,
    orderNumber: o.order_number,
    email: o.email,
    phone: o.phone,
    customerId: o.customer ? (o.customer.admin_graphql_api_id ?? gid("Customer", o.customer.id)) : null,
    customerFirstName: o.customer?.first_name ?? null,
    customerLastName: o.customer?.last_name ?? null,
    billingAddress: jsonOrNull(o.billing_address),
    shippingAddress: jsonOrNull(o.shipping_address),
    financialStatus: upperEnum(o.financial_status),
    fulfillmentStatus: fulfillmentStatusFromRest(o.fulfillment_status),
    currencyCode: currency,
    totalPrice: total.decimal,
    totalPriceMinor: total.minor,
    subtotalPrice: decimal(o.subtotal_price),
    totalTax: decimal(o.total_tax),
    totalDiscounts: decimal(o.total_discounts),
    test: o.test,
    tags: joinTags(o.tags),
    processedAt: o.processed_at,
    cancelledAt: o.cancelled_at,
    cancelReason: upperEnum(o.cancel_reason),
    closedAt: o.closed_at,
    shopifyCreatedAt: o.created_at,
    shopifyUpdatedAt: o.updated_at,
    raw: rawOf(payload, ["line_items"]),
  };
  const lineItems = o.line_items.map((input, i): LineItemRow => {
    const li = parseInput(`orders webhook: line_items.${i}`, restLineItem, input);
    // `price` is in the shop currency, the order's `currency` (presentment prices are in price_set).
    const unit = parseAmount(li.price, currency);
    return {
      shopifyId: li.admin_graphql_api_id,
      orderId: order.shopifyId,
      productId: li.product_id === null ? null : gid("Product", li.product_id),
      variantId: li.variant_id === null ? null : gid("ProductVariant", li.variant_id),
      title: li.title,
      variantTitle: li.variant_title,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      currentQuantity: li.current_quantity,
      unitPrice: unit.decimal,
      unitPriceMinor: unit.minor,
      orderUpdatedAt: order.shopifyUpdatedAt,
      raw: toJson(input),
    };
  });
  return { order, lineItems };
}

// ---- inventory ---------------------------------------------------------------------------------

const restInventoryLevel = z
  .object({
    admin_graphql_api_id: gidOf("InventoryLevel"),
    inventory_item_id: numericId.optional(),
    location_id: numericId,
    available: z.number().int(),
    updated_at: dateTime,
  })
  .passthrough();

/**
 * inventory_levels/update. The item comes from the GID string's `inventory_item_id` (exact whatever
 * parser read the body). The location comes from `location_id`: the number in the GID's path is the
 * location in Shopify's published sample but an inventory-level id in real payloads and in the
 * emulator, so it is not used.
 *
 * The payload has `available` only: `onHand` and `committed` are written as null (unknown as of this
 * `updated_at`) rather than left at older values that would look current; the next sync fills them.
 */
export function inventoryLevelFromWebhook(payload: unknown): InventoryLevelRow {
  const l = parseInput("inventory_levels/update webhook", restInventoryLevel, payload);
  const inventoryItemId = inventoryItemIdFromLevelGid(l.admin_graphql_api_id);
  if (l.inventory_item_id !== undefined && gid("InventoryItem", l.inventory_item_id) !== inventoryItemId) {
    throw new Error(
      `inventory_levels/update webhook: inventory_item_id ${l.inventory_item_id} disagrees with ${l.admin_graphql_api_id}`,
    );
  }
  return {
    inventoryItemId,
    locationId: gid("Location", l.location_id),
    shopifyId: l.admin_graphql_api_id,
    available: l.available,
    onHand: null,
    committed: null,
    shopifyUpdatedAt: l.updated_at,
  };
}

// ---- by topic ----------------------------------------------------------------------------------

export type WebhookRows =
  | { kind: "product"; product: ProductWithVariants }
  | { kind: "productTombstone"; tombstone: ProductTombstone }
  | { kind: "order"; order: OrderWithLineItems }
  | { kind: "inventoryLevel"; level: InventoryLevelRow };

export const MAPPED_TOPICS = [
  "products/create",
  "products/update",
  "products/delete",
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
  "inventory_levels/update",
] as const;

export type MappedTopic = (typeof MAPPED_TOPICS)[number];

/** The rows one delivery of a sync topic produces. `triggeredAt` dates a products/delete. */
export function fromWebhook(
  topic: MappedTopic,
  payload: unknown,
  delivery: { triggeredAt: Date },
  customerData?: CustomerDataPolicy,
): WebhookRows {
  switch (topic) {
    case "products/create":
    case "products/update":
      return { kind: "product", product: productFromWebhook(payload) };
    case "products/delete":
      return { kind: "productTombstone", tombstone: productDeleteFromWebhook(payload, delivery.triggeredAt) };
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled":
      return { kind: "order", order: orderFromWebhook(payload, customerData) };
    case "inventory_levels/update":
      return { kind: "inventoryLevel", level: inventoryLevelFromWebhook(payload) };
  }
}
