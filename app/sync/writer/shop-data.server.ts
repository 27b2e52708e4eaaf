// Writes the sync engine's rows (app/sync/engine/rows.ts) for one store: the bulk and incremental
// sync and webhook processing all write through here, with the same newest-wins rule.
// Part of the data layer (docs/decisions/0005): every statement carries the store id it was given.
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import type {
  AvailableLevelRow,
  InventoryLevelRow,
  LocationRow,
  OrderWithLineItems,
  ProductTombstone,
  ProductWithVariants,
} from "~/sync/engine/rows";
import { redactIncomingOrder } from "~/sync/engine/redact";
import { SYNCED_TABLES } from "./tables.server";
import { chunks, preparedStatement, upsertRows, type Executor, type Row, type TableSpec } from "./upsert.server";

/**
 * What wrote a row: shown to the merchant as a product's or order's last sync (the product page's
 * admin block too). Rows written before the sources were told apart say "sync" (the column default).
 */
export type WriteSource = "bulk" | "incremental" | "webhook" | "reconcile" | "resync";

/** The columns the writer adds to every row (upsertRows' stamp: no per-row copies). */
function stamp(storeId: number, now: Date, source?: WriteSource): Row {
  return source ? { storeId, syncedAt: now, syncedBy: source } : { storeId, syncedAt: now };
}

export interface WriteCounts {
  written: number;
  skipped: number;
}

export async function writeProducts(
  tx: Executor,
  storeId: number,
  items: readonly ProductWithVariants[],
  source: WriteSource,
  now = new Date(),
): Promise<WriteCounts> {
  const written = await upsertRows(
    tx,
    SYNCED_TABLES.products,
    items.map((item) => item.product),
    stamp(storeId, now, source),
  );
  const variants = items.flatMap((item) => item.variants);
  await upsertRows(tx, SYNCED_TABLES.variants, variants, stamp(storeId, now));
  return { written, skipped: items.length - written };
}

export async function writeOrders(
  tx: Executor & { $queryRaw<T>(query: Prisma.Sql): Promise<T> },
  storeId: number,
  items: readonly OrderWithLineItems[],
  source: WriteSource,
  now = new Date(),
): Promise<WriteCounts> {
  if (items.length === 0) return { written: 0, skipped: 0 };
  // An order whose customer was redacted stays redacted: a late retry or a sync page still carries
  // the old personal data, which must not come back.
  const ids = items.map((item) => item.order.shopifyId);
  const redactedRows = tx.sqlite
    ? (preparedStatement(
        tx.sqlite,
        `SELECT "shopifyId" FROM "shopify_orders" WHERE "storeId" = ? AND "redactedAt" IS NOT NULL AND "shopifyId" IN (SELECT value FROM json_each(?))`,
      ).all([storeId, JSON.stringify(ids)]) as Array<{ shopifyId: string }>)
    : await tx.$queryRaw<Array<{ shopifyId: string }>>(Prisma.sql`
        SELECT "shopifyId" FROM "shopify_orders" WHERE "storeId" = ${storeId} AND "redactedAt" IS NOT NULL
        AND "shopifyId" IN (${Prisma.join(ids)})`);
  const redacted = new Set(redactedRows.map((row) => row.shopifyId));
  const orders = items.map((item) =>
    redacted.has(item.order.shopifyId) ? redactIncomingOrder(item.order) : item.order,
  );
  const written = await upsertRows(tx, SYNCED_TABLES.orders, orders, stamp(storeId, now, source));
  const lineItems = items.flatMap((item) => item.lineItems);
  await upsertRows(tx, SYNCED_TABLES.lineItems, lineItems, stamp(storeId, now));
  return { written, skipped: orders.length - written };
}

/** Newest-wins upsert of `rows` into one synced table, counting the rows an older row did not stop. */
async function writeSyncedRows(
  tx: Executor,
  table: TableSpec,
  storeId: number,
  rows: readonly Row[],
  now: Date,
): Promise<WriteCounts> {
  const written = await upsertRows(tx, table, rows, stamp(storeId, now));
  return { written, skipped: rows.length - written };
}

export const writeLocations = (tx: Executor, storeId: number, rows: readonly LocationRow[], now = new Date()) =>
  writeSyncedRows(tx, SYNCED_TABLES.locations, storeId, rows, now);

export const writeInventoryLevels = (
  tx: Executor,
  storeId: number,
  rows: readonly InventoryLevelRow[],
  now = new Date(),
) => writeSyncedRows(tx, SYNCED_TABLES.inventoryLevels, storeId, rows, now);

/**
 * Levels whose source tells `available` only (inventory_levels/update): newest-wins as above, and the
 * stored onHand and committed are left as they are — a new level gets them as null (unknown).
 */
export const writeAvailableLevels = (
  tx: Executor,
  storeId: number,
  rows: readonly AvailableLevelRow[],
  now = new Date(),
) => writeSyncedRows(tx, SYNCED_TABLES.inventoryLevelsAvailableOnly, storeId, rows, now);

/**
 * products/delete carries only the id. The tombstone keeps the deletion time, so a products/update
 * that Shopify sent before the deletion but that arrives after it cannot bring the product back. A
 * product we never synced gets a tombstone row of its own for the same reason.
 */
export async function writeProductTombstone(
  tx: Executor,
  storeId: number,
  tombstone: ProductTombstone,
  now = new Date(),
): Promise<void> {
  await tx.$executeRaw(Prisma.sql`
    INSERT INTO "shopify_products" ("storeId", "shopifyId", "title", "shopifyUpdatedAt", "deletedAt", "syncedAt", "syncedBy")
    VALUES (${storeId}, ${tombstone.shopifyId}, ${""}, ${tombstone.deletedAt}, ${tombstone.deletedAt}, ${now}, ${"webhook"})
    ON CONFLICT ("storeId", "shopifyId") DO UPDATE SET "deletedAt" = excluded."deletedAt", "syncedAt" = excluded."syncedAt",
      "syncedBy" = excluded."syncedBy"
    WHERE "shopify_products"."deletedAt" IS NULL OR "shopify_products"."deletedAt" < excluded."deletedAt"`);
}

/**
 * A variant's inventoryQuantity is the sum of its item's available quantities over all locations
 * (Shopify's ProductVariant.inventoryQuantity). A level change does not change the product's
 * updated_at, so the product pass never reads the variant again, and inventory_levels/update carries
 * only the level: without this the mirrored quantity stayed stale after any stock change until the
 * product itself changed (tests/sync/dropped-webhooks.test.ts). Run after the pass has written every
 * level it read, for the items those levels belong to.
 */
export async function refreshInventoryQuantities(storeId: number, inventoryItemIds: readonly string[]): Promise<void> {
  for (const batch of chunks(inventoryItemIds)) {
    await db.$executeRaw(Prisma.sql`
      UPDATE "shopify_product_variants" SET "inventoryQuantity" = (
        SELECT COALESCE(SUM(l."available"), 0) FROM "shopify_inventory_levels" l
        WHERE l."storeId" = ${storeId} AND l."inventoryItemId" = "shopify_product_variants"."inventoryItemId")
      WHERE "storeId" = ${storeId} AND "inventoryItemId" IN (${Prisma.join(batch)})`);
  }
}
