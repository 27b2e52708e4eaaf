// GraphQL nodes (as app/admin-api/operations/ selects them, from a page or a bulk JSONL line) → rows.
// Input is `unknown` and parsed with zod (v4, graphql-input.ts says why) first: a missing field fails
// here, by name.
//
// `raw`: a row mapped from a page holds it as a JSON value (incremental sync and reconcile hand rows to
// tests and to Prisma-shaped code); a row mapped from a bulk line holds it as JSON text (fromBulkLine),
// which the batched writer binds as it is. A bulk file is mapped line by line at full speed, and
// copying every node's tree only to stringify it again in the writer was a fifth of the mapping's time
// and most of the objects that outlived a young-generation GC. The other Json columns are small and
// stay values in both.
import type { Prisma } from "@prisma/client";
import { z } from "zod/v4";
import { graphqlAddress } from "./address";
import { minimiseGraphqlOrder, type CustomerDataPolicy } from "./customer-data";
import {
  dateOf,
  dateOrNull,
  dateTime,
  decimalString,
  gidOf,
  nullableDateTime,
  orNull,
  parseGraphqlInput as parseInput,
  text,
} from "./graphql-input";
import { gidType } from "./ids";
import { joinTags } from "./input";
import { parseAmount } from "./money";
import {
  jsonOrNull,
  toJson,
  without,
  type InventoryLevelRow,
  type LineItemRow,
  type LocationRow,
  type OrderRow,
  type OrderWithLineItems,
  type ProductRow,
  type ProductWithVariants,
  type VariantRow,
} from "./rows";

/** How `raw` is held: as a JSON value (rows from pages) or as JSON text (rows from bulk lines). */
type RawAs = (value: unknown) => Prisma.InputJsonValue;

const AS_VALUE: RawAs = toJson;
/**
 * JSON text. Bulk lines come from JSON.parse, so they hold nothing JSON.stringify spells differently
 * from toJson (no bigint, Date, undefined in an array or non-finite number).
 */
const AS_TEXT: RawAs = (value) => JSON.stringify(value);

/** The node as Shopify sent it (already checked to be an object), without the listed keys. */
function rawOf(rawAs: RawAs, node: unknown, drop: readonly string[]) {
  return rawAs(without(node as Record<string, unknown>, drop));
}

/** A connection as a page query returns it (`nodes` or `edges { node }`); absent in bulk lines. */
const connection = z
  .union([z.object({ nodes: z.array(z.unknown()) }), z.object({ edges: z.array(z.object({ node: z.unknown() })) })])
  .optional();

/** The nodes of a connection (none when it is absent). */
function nodesOf(c: z.output<typeof connection>): unknown[] {
  return c === undefined ? [] : "nodes" in c ? c.nodes : c.edges.map((e) => e.node);
}

/** `{ id }` of another object, null or absent: map it with `?.id ?? null`. */
const idRef = (type: Parameters<typeof gidOf>[0]) =>
  z
    .object({ id: gidOf(type) })
    .nullable()
    .optional();

const shopMoney = z.object({ shopMoney: z.object({ amount: decimalString, currencyCode: z.string() }) });

// ---- products ----------------------------------------------------------------------------------

const variantNode = z.object({
  id: gidOf("ProductVariant"),
  title: text,
  sku: text,
  barcode: text,
  price: decimalString.nullable(),
  compareAtPrice: decimalString.nullable().optional(),
  position: z.number().int().nullable(),
  inventoryItem: idRef("InventoryItem"),
  inventoryPolicy: text,
  inventoryQuantity: z.number().int().nullable().optional(),
  selectedOptions: z.array(z.object({ name: z.string(), value: z.string() })),
  taxable: z.boolean().nullable(),
  createdAt: nullableDateTime,
  updatedAt: dateTime,
  __parentId: gidOf("Product").optional(),
  product: z.object({ id: gidOf("Product") }).optional(),
});

const productNode = z.object({
  id: gidOf("Product"),
  title: z.string(),
  handle: text,
  vendor: text,
  productType: text,
  status: text,
  tags: z.array(z.string()),
  createdAt: nullableDateTime,
  updatedAt: dateTime,
  publishedAt: nullableDateTime,
  variants: connection,
});

/** A product node, with the variants its `variants` connection holds (none for a bulk line). */
export function productFromGraphql(node: unknown): ProductWithVariants {
  return productWithin(node, AS_VALUE);
}

function productWithin(node: unknown, rawAs: RawAs): ProductWithVariants {
  const p = parseInput("Product node", productNode, node);
  const product: ProductRow = {
    shopifyId: p.id,
    title: p.title,
    handle: orNull(p.handle),
    vendor: orNull(p.vendor),
    productType: orNull(p.productType),
    status: orNull(p.status),
    tags: joinTags(p.tags),
    shopifyCreatedAt: dateOrNull(p.createdAt),
    shopifyUpdatedAt: dateOf(p.updatedAt),
    publishedAt: dateOrNull(p.publishedAt),
    deletedAt: null,
    raw: rawOf(rawAs, node, ["variants"]),
  };
  return {
    product,
    variants: nodesOf(p.variants).map((v, i) => variantWithin(v, p.id, `Product node: variants.${i}`, rawAs)),
  };
}

/**
 * A variant node. Its product comes from `productId`, else from the bulk line's `__parentId`, else from a
 * selected `product { id }`.
 */
export function variantFromGraphql(node: unknown, productId?: string): VariantRow {
  return variantWithin(node, productId, "ProductVariant node", AS_VALUE);
}

function variantWithin(node: unknown, productId: string | undefined, source: string, rawAs: RawAs): VariantRow {
  const v = parseInput(source, variantNode, node);
  const product = productId ?? v.__parentId ?? v.product?.id;
  if (!product) throw new Error(`${source} ${v.id}: no product id (pass productId, or select product { id })`);
  return {
    shopifyId: v.id,
    productId: product,
    title: orNull(v.title),
    sku: orNull(v.sku),
    barcode: orNull(v.barcode),
    price: v.price,
    compareAtPrice: orNull(v.compareAtPrice),
    position: v.position,
    inventoryItemId: v.inventoryItem?.id ?? null,
    inventoryPolicy: orNull(v.inventoryPolicy),
    inventoryQuantity: orNull(v.inventoryQuantity),
    selectedOptions: toJson(v.selectedOptions),
    taxable: v.taxable,
    shopifyCreatedAt: dateOrNull(v.createdAt),
    shopifyUpdatedAt: dateOf(v.updatedAt),
    raw: rawOf(rawAs, node, ["__parentId"]),
  };
}

// ---- locations and inventory -------------------------------------------------------------------

const locationNode = z.object({
  id: gidOf("Location"),
  name: z.string(),
  isActive: z.boolean(),
  updatedAt: nullableDateTime,
  address: z.record(z.string(), z.unknown()).nullable().optional(),
  inventoryLevels: z.unknown().optional(),
});

export function locationFromGraphql(node: unknown): LocationRow {
  return locationWithin(node, AS_VALUE);
}

function locationWithin(node: unknown, rawAs: RawAs): LocationRow {
  const l = parseInput("Location node", locationNode, node);
  return {
    shopifyId: l.id,
    name: l.name,
    isActive: l.isActive,
    address: jsonOrNull(l.address),
    shopifyUpdatedAt: dateOrNull(l.updatedAt),
    deletedAt: null,
    raw: rawOf(rawAs, node, ["inventoryLevels"]),
  };
}

const levelNode = z.object({
  id: gidOf("InventoryLevel"),
  item: z.object({ id: gidOf("InventoryItem") }),
  location: z.object({ id: gidOf("Location") }),
  quantities: z.array(z.object({ name: z.string(), quantity: z.number().int() })),
  updatedAt: dateTime,
});

/** An InventoryLevel node with `quantities(names: ["available", "on_hand", "committed"])`. */
export function inventoryLevelFromGraphql(node: unknown): InventoryLevelRow {
  const l = parseInput("InventoryLevel node", levelNode, node);
  const quantity = (name: string) => l.quantities.find((q) => q.name === name)?.quantity ?? null;
  const available = quantity("available");
  if (available === null) {
    throw new Error(`InventoryLevel node ${l.id}: quantities has no "available" (select it in quantities(names:))`);
  }
  return {
    inventoryItemId: l.item.id,
    locationId: l.location.id,
    shopifyId: l.id,
    available,
    onHand: quantity("on_hand"),
    committed: quantity("committed"),
    shopifyUpdatedAt: dateOf(l.updatedAt),
  };
}

// ---- orders ------------------------------------------------------------------------------------

const lineItemNode = z.object({
  id: gidOf("LineItem"),
  title: z.string(),
  variantTitle: text,
  sku: text,
  vendor: text,
  quantity: z.number().int(),
  currentQuantity: z.number().int().nullable().optional(),
  originalUnitPriceSet: shopMoney,
  product: idRef("Product"),
  variant: idRef("ProductVariant"),
  __parentId: gidOf("Order").optional(),
});

const orderNode = z.object({
  id: gidOf("Order"),
  name: z.string(),
  number: z.number().int().nullable().optional(),
  email: text,
  phone: text,
  customer: z
    .object({ id: gidOf("Customer"), firstName: text, lastName: text })
    .nullable()
    .optional(),
  billingAddress: graphqlAddress,
  shippingAddress: graphqlAddress,
  displayFinancialStatus: text,
  displayFulfillmentStatus: text,
  currencyCode: z.string(),
  totalPriceSet: shopMoney,
  subtotalPriceSet: shopMoney.nullable().optional(),
  totalTaxSet: shopMoney.nullable().optional(),
  totalDiscountsSet: shopMoney.nullable().optional(),
  test: z.boolean(),
  tags: z.array(z.string()),
  processedAt: nullableDateTime,
  cancelledAt: nullableDateTime,
  cancelReason: text,
  closedAt: nullableDateTime,
  createdAt: dateTime,
  updatedAt: dateTime,
  lineItems: connection,
});

type MoneyBagInput = z.output<typeof shopMoney>;

function decimalOf(bag: MoneyBagInput | null | undefined, field: string, currency: string): string | null {
  if (!bag) return null;
  return amountIn(bag, field, currency).decimal;
}

function amountIn(bag: MoneyBagInput, field: string, currency: string) {
  // The row has one currency column: a shop-money amount in another currency would be stored wrong.
  if (bag.shopMoney.currencyCode !== currency) {
    throw new Error(`${field}: shopMoney is in ${bag.shopMoney.currencyCode}, the order in ${currency}`);
  }
  return parseAmount(bag.shopMoney.amount, currency);
}

/**
 * An order node, with the line items its `lineItems` connection holds (none for a bulk line). With a
 * customer-data policy, fields it does not allow are dropped first (./customer-data.ts): the bound
 * documents do not ask for them, and an answer to an older document cannot bring them in either.
 */
export function orderFromGraphql(node: unknown): OrderWithLineItems {
  return orderWithin(node, AS_VALUE, undefined);
}

/** orderFromGraphql under a customer-data policy. */
export function orderFromGraphqlFor(customerData: CustomerDataPolicy): (node: unknown) => OrderWithLineItems {
  return (node) => orderWithin(node, AS_VALUE, customerData);
}

function orderWithin(input: unknown, rawAs: RawAs, customerData: CustomerDataPolicy | undefined): OrderWithLineItems {
  const node = customerData ? minimiseGraphqlOrder(input, customerData) : input;
  const o = parseInput("Order node", orderNode, node);
  const currency = o.currencyCode;
  const total = amountIn(o.totalPriceSet, "totalPriceSet", currency);
  const order: OrderRow = {
    shopifyId: o.id,
    name: o.name,
    orderNumber: orNull(o.number),
    email: orNull(o.email),
    phone: orNull(o.phone),
    customerId: o.customer?.id ?? null,
    customerFirstName: o.customer?.firstName ?? null,
    customerLastName: o.customer?.lastName ?? null,
    billingAddress: jsonOrNull(o.billingAddress),
    shippingAddress: jsonOrNull(o.shippingAddress),
    financialStatus: orNull(o.displayFinancialStatus),
    fulfillmentStatus: orNull(o.displayFulfillmentStatus),
    currencyCode: currency,
    totalPrice: total.decimal,
    totalPriceMinor: total.minor,
    subtotalPrice: decimalOf(o.subtotalPriceSet, "subtotalPriceSet", currency),
    totalTax: decimalOf(o.totalTaxSet, "totalTaxSet", currency),
    totalDiscounts: decimalOf(o.totalDiscountsSet, "totalDiscountsSet", currency),
    test: o.test,
    tags: joinTags(o.tags),
    processedAt: dateOrNull(o.processedAt),
    cancelledAt: dateOrNull(o.cancelledAt),
    cancelReason: orNull(o.cancelReason),
    closedAt: dateOrNull(o.closedAt),
    shopifyCreatedAt: dateOf(o.createdAt),
    shopifyUpdatedAt: dateOf(o.updatedAt),
    raw: rawOf(rawAs, node, ["lineItems"]),
  };
  return {
    order,
    lineItems: nodesOf(o.lineItems).map((li, i) =>
      lineItemWithin(li, o.id, order.shopifyUpdatedAt, `Order node: lineItems.${i}`, rawAs),
    ),
  };
}

/**
 * A line item node, e.g. a bulk line or a page of ORDER_LINE_ITEMS_PAGE_QUERY. Line items have no
 * updated_at of their own: they are written with their order's (`order.updatedAt`), and follow its
 * newest-wins. The order id comes from `order.id`, else from the bulk line's `__parentId`.
 */
export function lineItemFromGraphql(node: unknown, order: { id?: string; updatedAt: Date }): LineItemRow {
  return lineItemWithin(node, order.id, order.updatedAt, "LineItem node", AS_VALUE);
}

function lineItemWithin(
  node: unknown,
  orderId: string | undefined,
  orderUpdatedAt: Date,
  source: string,
  rawAs: RawAs,
): LineItemRow {
  const li = parseInput(source, lineItemNode, node);
  const order = orderId ?? li.__parentId;
  if (!order) throw new Error(`${source} ${li.id}: no order id (pass orderId)`);
  const unit = parseAmount(li.originalUnitPriceSet.shopMoney.amount, li.originalUnitPriceSet.shopMoney.currencyCode);
  return {
    shopifyId: li.id,
    orderId: order,
    productId: li.product?.id ?? null,
    variantId: li.variant?.id ?? null,
    title: li.title,
    variantTitle: orNull(li.variantTitle),
    sku: orNull(li.sku),
    vendor: orNull(li.vendor),
    quantity: li.quantity,
    currentQuantity: orNull(li.currentQuantity),
    unitPrice: unit.decimal,
    unitPriceMinor: unit.minor,
    orderUpdatedAt,
    raw: rawOf(rawAs, node, ["__parentId"]),
  };
}

// ---- bulk JSONL --------------------------------------------------------------------------------

/** Rows of a bulk line; their Json columns are JSON text (see the top of this file). */
export type BulkRow =
  | { kind: "product"; row: ProductRow }
  | { kind: "variant"; row: VariantRow }
  | { kind: "location"; row: LocationRow }
  | { kind: "inventoryLevel"; row: InventoryLevelRow }
  | { kind: "order"; row: OrderRow }
  | { kind: "lineItem"; row: Omit<LineItemRow, "orderUpdatedAt">; orderId: string };

/**
 * One parsed line of a bulk operation's JSONL (app/admin-api/operations/), by the type of its
 * `id`. Children carry `__parentId`, so every line maps on its own, in any order: the file interleaves
 * children of one parent after the next parent.
 */
export function fromBulkLine(line: unknown): BulkRow {
  return bulkLine(line, undefined);
}

/** fromBulkLine under a customer-data policy (an Order line loses the fields it does not allow). */
export function fromBulkLineFor(customerData: CustomerDataPolicy | undefined): (line: unknown) => BulkRow {
  return (line) => bulkLine(line, customerData);
}

function bulkLine(line: unknown, customerData: CustomerDataPolicy | undefined): BulkRow {
  const id = typeof line === "object" && line !== null ? (line as { id?: unknown }).id : undefined;
  const type = typeof id === "string" ? gidType(id) : undefined;
  switch (type) {
    case "Product":
      return { kind: "product", row: productWithin(line, AS_TEXT).product };
    case "ProductVariant":
      return { kind: "variant", row: variantWithin(line, undefined, "ProductVariant node", AS_TEXT) };
    case "Location":
      return { kind: "location", row: locationWithin(line, AS_TEXT) };
    case "InventoryLevel":
      return { kind: "inventoryLevel", row: inventoryLevelFromGraphql(line) };
    case "Order":
      return { kind: "order", row: orderWithin(line, AS_TEXT, customerData).order };
    case "LineItem": {
      // The order's updatedAt is on another line (usually earlier, not always): the caller joins it
      // by orderId before writing.
      const { orderUpdatedAt: _unknown, ...row } = lineItemWithin(
        line,
        undefined,
        new Date(0),
        "bulk LineItem line",
        AS_TEXT,
      );
      return { kind: "lineItem", row, orderId: row.orderId };
    }
    default:
      throw new Error(`bulk line: unexpected id ${JSON.stringify(id)}`);
  }
}
