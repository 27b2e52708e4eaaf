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

const BY_SHOPIFY_ID = ["storeId", "shopifyId"] as const;

export const SYNCED_TABLES = {
  products: describe("ShopifyProduct", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt", tombstone: "deletedAt" }),
  variants: describe("ShopifyProductVariant", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt" }),
  locations: describe("ShopifyLocation", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt" }),
  inventoryLevels: describe("ShopifyInventoryLevel", ["storeId", "inventoryItemId", "locationId"], {
    newestWins: "shopifyUpdatedAt",
  }),
  orders: describe("ShopifyOrder", BY_SHOPIFY_ID, { newestWins: "shopifyUpdatedAt" }),
  lineItems: describe("ShopifyOrderLineItem", BY_SHOPIFY_ID, { newestWins: "orderUpdatedAt" }),
} satisfies Record<string, TableSpec>;
