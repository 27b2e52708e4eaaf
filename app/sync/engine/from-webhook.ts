// Webhook payloads (REST-shaped, snake_case; parsed with parseWebhookBody so ids above 2^53 are exact)
// → the same rows from-graphql.ts writes for the same object. Where the two APIs spell a value
// differently, both mappers write one spelling: enums in GraphQL's uppercase, tags "a, b", addresses
// camelCase (address.ts), money padded to the currency's digits (money.ts).
import type { Prisma } from "@prisma/client";
import { minimiseOrderPayload, type CustomerDataPolicy } from "./customer-data";
import { restAddress } from "./address";
import { gid, inventoryItemIdFromLevelGid } from "./ids";
import { joinTags, upperEnum } from "./input";
import { parseAmount } from "./money";
import { readRest } from "./rest-input";
import {
  jsonOrNull,
  toJson,
  without,
  type AvailableLevelRow,
  type LineItemRow,
  type OrderRow,
  type OrderWithLineItems,
  type ProductRow,
  type ProductTombstone,
  type ProductWithVariants,
  type VariantRow,
} from "./rows";

export { parseWebhookBody } from "./webhook-body";

/**
 * `raw`: the body (or an element of it) as it came, without the child collections that have rows of
 * their own. Bodies come from parseWebhookBody (JSON.parse), so they hold only JSON values already (no
 * bigint, Date or non-finite number): no copy is made, where toJson would copy every value of every
 * delivery.
 */
function rawOf(payload: unknown, drop: readonly string[] = []): Prisma.InputJsonValue {
  return without(payload as Record<string, unknown>, drop) as Prisma.InputJsonValue;
}

// ---- products ----------------------------------------------------------------------------------

function variantFromWebhook(input: unknown, index: number, productId: string, optionNames: readonly string[]) {
  const v = readRest(`products webhook: variants.${index}`, input, (f) => ({
    id: f.gid("admin_graphql_api_id", "ProductVariant"),
    title: f.text("title"),
    sku: f.text("sku"),
    barcode: f.text("barcode"),
    price: f.decimalOrNull("price"),
    compareAtPrice: f.decimalOrNull("compare_at_price"),
    position: f.intOrNull("position"),
    inventoryItemId: f.numericIdOrNull("inventory_item_id"),
    inventoryPolicy: f.text("inventory_policy"),
    inventoryQuantity: f.intOrNull("inventory_quantity"),
    options: [f.text("option1"), f.text("option2"), f.text("option3")],
    taxable: f.booleanOrNull("taxable"),
    createdAt: f.dateTimeOrNull("created_at"),
    updatedAt: f.dateTime("updated_at"),
  }));
  const selectedOptions = v.options.flatMap((value, n) =>
    value === null ? [] : [{ name: optionNames[n] ?? `Option ${n + 1}`, value }],
  );
  const row: VariantRow = {
    shopifyId: v.id,
    productId,
    title: v.title,
    sku: v.sku,
    barcode: v.barcode,
    price: v.price,
    compareAtPrice: v.compareAtPrice,
    position: v.position,
    inventoryItemId: v.inventoryItemId === null ? null : gid("InventoryItem", v.inventoryItemId),
    inventoryPolicy: upperEnum(v.inventoryPolicy),
    inventoryQuantity: v.inventoryQuantity,
    selectedOptions: toJson(selectedOptions),
    taxable: v.taxable,
    shopifyCreatedAt: v.createdAt,
    shopifyUpdatedAt: v.updatedAt,
    raw: rawOf(input),
  };
  return row;
}

/** products/create and products/update. */
export function productFromWebhook(payload: unknown): ProductWithVariants {
  const p = readRest("products webhook", payload, (f) => ({
    id: f.gid("admin_graphql_api_id", "Product"),
    title: f.string("title"),
    handle: f.text("handle"),
    vendor: f.text("vendor"),
    productType: f.text("product_type"),
    status: f.text("status"),
    tags: f.tags("tags"),
    createdAt: f.dateTimeOrNull("created_at"),
    updatedAt: f.dateTime("updated_at"),
    publishedAt: f.dateTimeOrNull("published_at"),
    variants: f.array("variants"),
    options: f.array("options").map((option, i) => {
      const o = f.element(option, i, "options");
      return {
        name: o?.string("name") ?? "",
        position: o?.value("position") === undefined ? 0 : (o?.int("position") ?? 0),
      };
    }),
  }));
  const product: ProductRow = {
    shopifyId: p.id,
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    status: upperEnum(p.status),
    tags: joinTags(p.tags),
    shopifyCreatedAt: p.createdAt,
    shopifyUpdatedAt: p.updatedAt,
    publishedAt: p.publishedAt,
    deletedAt: null,
    raw: rawOf(payload, ["variants"]),
  };
  // REST variants carry option1..3; the option names live on the product, ordered by position.
  const optionNames = p.options.sort((a, b) => a.position - b.position).map((option) => option.name);
  const variants = p.variants.map((input, i) => variantFromWebhook(input, i, product.shopifyId, optionNames));
  return { product, variants };
}

/**
 * products/delete: `{id}` only, no timestamp, so the deletion time is the delivery's
 * (X-Shopify-Triggered-At; the time it was received if the header is missing).
 */
export function productDeleteFromWebhook(payload: unknown, deletedAt: Date): ProductTombstone {
  const id = readRest("products/delete webhook", payload, (f) => f.numericId("id"));
  return { shopifyId: gid("Product", id), deletedAt };
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

function lineItemFromWebhook(input: unknown, index: number, order: OrderRow): LineItemRow {
  const li = readRest(`orders webhook: line_items.${index}`, input, (f) => ({
    id: f.gid("admin_graphql_api_id", "LineItem"),
    title: f.string("title"),
    variantTitle: f.text("variant_title"),
    sku: f.text("sku"),
    vendor: f.text("vendor"),
    quantity: f.int("quantity"),
    currentQuantity: f.intOrNull("current_quantity"),
    price: f.decimal("price"),
    productId: f.numericIdOrNull("product_id"),
    variantId: f.numericIdOrNull("variant_id"),
  }));
  // `price` is in the shop currency, the order's `currency` (presentment prices are in price_set).
  const unit = parseAmount(li.price, order.currencyCode);
  return {
    shopifyId: li.id,
    orderId: order.shopifyId,
    productId: li.productId === null ? null : gid("Product", li.productId),
    variantId: li.variantId === null ? null : gid("ProductVariant", li.variantId),
    title: li.title,
    variantTitle: li.variantTitle,
    sku: li.sku,
    vendor: li.vendor,
    quantity: li.quantity,
    currentQuantity: li.currentQuantity,
    unitPrice: unit.decimal,
    unitPriceMinor: unit.minor,
    orderUpdatedAt: order.shopifyUpdatedAt,
    raw: rawOf(input),
  };
}

/**
 * orders/create, orders/updated, orders/paid, orders/cancelled (all carry the full order). With a
 * customer-data policy, fields it does not allow are dropped before mapping (./customer-data.ts), so
 * neither the columns nor `raw` keep what the app may not have; fields Shopify redacted arrive null.
 */
export function orderFromWebhook(input: unknown, customerData?: CustomerDataPolicy): OrderWithLineItems {
  const payload = customerData ? minimiseOrderPayload(input, customerData) : input;
  const o = readRest("orders webhook", payload, (f) => {
    const customer = f.objectOrNull("customer");
    return {
      id: f.gid("admin_graphql_api_id", "Order"),
      name: f.string("name"),
      orderNumber: f.intOrNull("order_number"),
      email: f.text("email"),
      phone: f.text("phone"),
      customer: customer && {
        id: customer.numericId("id"),
        gid: customer.gidOrAbsent("admin_graphql_api_id", "Customer"),
        firstName: customer.text("first_name"),
        lastName: customer.text("last_name"),
      },
      billingAddress: restAddress(f.objectOrNull("billing_address")),
      shippingAddress: restAddress(f.objectOrNull("shipping_address")),
      financialStatus: f.text("financial_status"),
      fulfillmentStatus: f.text("fulfillment_status"),
      currency: f.string("currency"),
      totalPrice: f.decimal("total_price"),
      subtotalPrice: f.decimalOrNull("subtotal_price"),
      totalTax: f.decimalOrNull("total_tax"),
      totalDiscounts: f.decimalOrNull("total_discounts"),
      test: f.boolean("test", false),
      tags: f.tags("tags"),
      processedAt: f.dateTimeOrNull("processed_at"),
      cancelledAt: f.dateTimeOrNull("cancelled_at"),
      cancelReason: f.text("cancel_reason"),
      closedAt: f.dateTimeOrNull("closed_at"),
      createdAt: f.dateTime("created_at"),
      updatedAt: f.dateTime("updated_at"),
      lineItems: f.array("line_items"),
    };
  });
  const currency = o.currency;
  const total = parseAmount(o.totalPrice, currency);
  const decimal = (value: string | null) => (value === null ? null : parseAmount(value, currency).decimal);
  const order: OrderRow = {
    shopifyId: o.id,
    name: o.name,
    orderNumber: o.orderNumber,
    email: o.email,
    phone: o.phone,
    customerId: o.customer ? (o.customer.gid ?? gid("Customer", o.customer.id)) : null,
    customerFirstName: o.customer?.firstName ?? null,
    customerLastName: o.customer?.lastName ?? null,
    billingAddress: jsonOrNull(o.billingAddress),
    shippingAddress: jsonOrNull(o.shippingAddress),
    financialStatus: upperEnum(o.financialStatus),
    fulfillmentStatus: fulfillmentStatusFromRest(o.fulfillmentStatus),
    currencyCode: currency,
    totalPrice: total.decimal,
    totalPriceMinor: total.minor,
    subtotalPrice: decimal(o.subtotalPrice),
    totalTax: decimal(o.totalTax),
    totalDiscounts: decimal(o.totalDiscounts),
    test: o.test,
    tags: joinTags(o.tags),
    processedAt: o.processedAt,
    cancelledAt: o.cancelledAt,
    cancelReason: upperEnum(o.cancelReason),
    closedAt: o.closedAt,
    shopifyCreatedAt: o.createdAt,
    shopifyUpdatedAt: o.updatedAt,
    raw: rawOf(payload, ["line_items"]),
  };
  const lineItems = o.lineItems.map((input, i) => lineItemFromWebhook(input, i, order));
  return { order, lineItems };
}

// ---- inventory ---------------------------------------------------------------------------------

/**
 * inventory_levels/update. The item comes from the GID string's `inventory_item_id` (exact whatever
 * parser read the body). The location comes from `location_id`: the number in the GID's path is the
 * location in Shopify's published sample but an inventory-level id in real payloads and in the
 * emulator, so it is not used.
 *
 * The payload has `available` only, so the row has no `onHand` or `committed`: a delivery does not
 * erase quantities it does not carry; the stored ones stay until a sync reads them again
 * (docs/decisions/0041-inventory-webhooks-keep-on-hand.md).
 */
export function inventoryLevelFromWebhook(payload: unknown): AvailableLevelRow {
  const l = readRest("inventory_levels/update webhook", payload, (f) => ({
    id: f.gid("admin_graphql_api_id", "InventoryLevel"),
    inventoryItemId: f.numericIdOrAbsent("inventory_item_id"),
    locationId: f.numericId("location_id"),
    available: f.int("available"),
    updatedAt: f.dateTime("updated_at"),
  }));
  const inventoryItemId = inventoryItemIdFromLevelGid(l.id);
  if (l.inventoryItemId !== undefined && gid("InventoryItem", l.inventoryItemId) !== inventoryItemId) {
    throw new Error(`inventory_levels/update webhook: inventory_item_id ${l.inventoryItemId} disagrees with ${l.id}`);
  }
  return {
    inventoryItemId,
    locationId: gid("Location", l.locationId),
    shopifyId: l.id,
    available: l.available,
    shopifyUpdatedAt: l.updatedAt,
  };
}

// ---- by topic ----------------------------------------------------------------------------------

export type WebhookRows =
  | { kind: "product"; product: ProductWithVariants }
  | { kind: "productTombstone"; tombstone: ProductTombstone }
  | { kind: "order"; order: OrderWithLineItems }
  | { kind: "inventoryLevel"; level: AvailableLevelRow };

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
