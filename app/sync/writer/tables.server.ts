// The synced tables as the upsert writer sees them, read from Prisma's own description of the schema
// (so a new column needs no change here) plus the two rules Prisma cannot express: which column
// decides "newer" and which one is a tombstone.
import { Prisma } from "@prisma/client";
import type { TableSpec } from "./upsert.server";

function describe(
  modelName: string,
  key: readonly string[],
  rules: Pick<TableSpec, "newestWins" | "tombstone"> = {},
): TableSpec {
  const model = Prisma.dmmf.datamodel.models.find((candidate) => candidate.name === modelName);
  if (!model) throw new Error(`no Prisma model ${modelName}`);
  const scalars = model.fields.filter((field) => field.kind === "scalar");
  // The key is stated, not read: the client's runtime description leaves composite keys out.
  const missing = key.filter((column) => !scalars.some((field) => field.name === column));
  if (missing.length) throw new Error(`${modelName} has no column ${missing.join(", ")}`);
  return {
    table: model.dbName ?? model.name,
    key,
    columns: scalars.map((field) => field.name),
    jsonColumns: scalars.filter((field) => field.type === "Json").map((field) => field.name),
    ...rules,
  };
}

/**
 * The table written without `columns`: a new row gets their defaults (NULL), an existing row keeps
 * its values. For a source that does not carry those columns, so that it cannot erase them.
 */
function withoutColumns(spec: TableSpec, columns: readonly string[]): TableSpec {
  const unknown = columns.filter((column) => !spec.columns.includes(column) || spec.key.includes(column));
  if (unknown.length) throw new Error(`${spec.table} cannot be written without ${unknown.join(", ")}`);
  return { ...spec, columns: spec.columns.filter((column) => !columns.includes(column)) };
}

const BY_SHOPIFY_ID = ["storeId", "shopifyId"] as const;

const inventoryLevels = describe("ShopifyInventoryLevel", ["storeId", "inventoryItemId", "locationId"], {
  newestWins: "shopifyUpdatedAt",
});

export const SYNCED_TABLES = {
  products: describe("ShopifyProduct", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt", tombstone: "deletedAt" }),
  variants: describe("ShopifyProductVariant", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt" }),
  locations: describe("ShopifyLocation", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt" }),
  inventoryLevels,
  /**
   * Levels from inventory_levels/update, which carries `available` only: the on-hand and committed
   * quantities a sync read stay (docs/decisions/0041-inventory-webhooks-keep-on-hand.md).
   */
  inventoryLevelsAvailableOnly: withoutColumns(inventoryLevels, ["onHand", "committed"]),
  orders: describe("ShopifyOrder", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt" }),
  lineItems: describe("ShopifyOrderLineItem", BY_SHOPIFY_ID, { newestWins: "orderUpdatedAt" }),
} satisfies Record<string, TableSpec>;
