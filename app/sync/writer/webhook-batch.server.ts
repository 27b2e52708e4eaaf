// Webhook deliveries' rows (products, orders, inventory levels, product deletions), written in
// batches with the same newest-wins rule and the same batch writer as the sync
// (shop-data.server.ts, upsert.server.ts): a delivery that arrives after newer data changes nothing.
// The webhook path ends here as the sync's does (app/sync/tasks/webhooks/process.server.ts maps the
// stored deliveries with app/sync/engine/from-webhook.ts and hands their rows to writeWebhookRows).
import type { Prisma } from "@prisma/client";
import { sqliteWriter } from "~/db/sqlite-connection.server";
import { dbNull } from "~/db.server";
import type { WebhookRows } from "~/sync/engine/from-webhook";
import { shouldApply } from "~/sync/engine/newest-wins";
import type { AvailableLevelRow, OrderWithLineItems, ProductWithVariants } from "~/sync/engine/rows";
import { pruneChildren } from "./removals.server";
import { writeAvailableLevels, writeOrders, writeProducts, writeProductTombstone } from "./shop-data.server";
import { preparedStatement, type Executor } from "./upsert.server";

type Writer = Prisma.TransactionClient & Pick<Executor, "sqlite">;

interface StoredVersion {
  shopifyId: string;
  shopifyUpdatedAt: Date | null;
  deletedAt: Date | null;
}

/**
 * The stored versions (updated-at, tombstone) of the rows `shopifyIds` name, for the newest-wins
 * judgement of which writes applied. On SQLite one prepared statement on the transaction's
 * connection, the ids bound as one JSON array.
 */
async function storedVersions(
  tx: Writer,
  table: "products" | "orders",
  storeId: number,
  shopifyIds: readonly string[],
): Promise<Map<string, StoredVersion>> {
  if (tx.sqlite) {
    const rows = preparedStatement(
      tx.sqlite,
      table === "products"
        ? `SELECT "shopifyId", "shopifyUpdatedAt", "deletedAt" FROM "shopify_products" WHERE "storeId" = ? AND "shopifyId" IN (SELECT value FROM json_each(?))`
        : `SELECT "shopifyId", "shopifyUpdatedAt", NULL AS "deletedAt" FROM "shopify_orders" WHERE "storeId" = ? AND "shopifyId" IN (SELECT value FROM json_each(?))`,
    ).all([storeId, JSON.stringify(shopifyIds)]) as Array<{
      shopifyId: string;
      shopifyUpdatedAt: string | null;
      deletedAt: string | null;
    }>;
    const date = (value: string | null) => (value === null ? null : new Date(value));
    return new Map(
      rows.map((row) => [
        row.shopifyId,
        { shopifyId: row.shopifyId, shopifyUpdatedAt: date(row.shopifyUpdatedAt), deletedAt: date(row.deletedAt) },
      ]),
    );
  }
  const rows =
    table === "products"
      ? await tx.shopifyProduct.findMany({
          where: { storeId, shopifyId: { in: [...shopifyIds] } },
          select: { shopifyId: true, shopifyUpdatedAt: true, deletedAt: true },
        })
      : (
          await tx.shopifyOrder.findMany({
            where: { storeId, shopifyId: { in: [...shopifyIds] } },
            select: { shopifyId: true, shopifyUpdatedAt: true },
          })
        ).map((row) => ({ ...row, deletedAt: null }));
  return new Map(rows.map((row) => [row.shopifyId, row]));
}

/** One delivery's rows, alone: the batch writers with one item, or a products/delete. */
async function applyRows(tx: Writer, storeId: number, rows: WebhookRows): Promise<void> {
  switch (rows.kind) {
    case "product":
      return writeProductBatch(tx, storeId, [rows.product]);
    case "productTombstone":
      await writeProductTombstone(tx, storeId, rows.tombstone);
      // Shopify deletes a product's variants with it.
      await pruneChildren(tx, storeId, "variants", [{ parentId: rows.tombstone.shopifyId, keep: [] }]);
      return;
    case "order":
      return writeOrderBatch(tx, storeId, [rows.order]);
    case "inventoryLevel":
      await writeAvailableLevels(tx, storeId, [rows.level]);
      return;
  }
}

function resourceKey(rows: WebhookRows): string {
  switch (rows.kind) {
    case "product":
      return `product:${rows.product.product.shopifyId}`;
    case "productTombstone":
      return `product:${rows.tombstone.shopifyId}`;
    case "order":
      return `order:${rows.order.order.shopifyId}`;
    case "inventoryLevel":
      return `level:${rows.level.inventoryItemId}:${rows.level.locationId}`;
  }
}

function updatedAtOf(rows: WebhookRows): number {
  switch (rows.kind) {
    case "product":
      return rows.product.product.shopifyUpdatedAt.getTime();
    case "productTombstone":
      return rows.tombstone.deletedAt.getTime();
    case "order":
      return rows.order.order.shopifyUpdatedAt.getTime();
    case "inventoryLevel":
      return rows.level.shopifyUpdatedAt.getTime();
  }
}

/**
 * Many deliveries of one store, in receivedAt order, with the same final rows as applying them one by
 * one (tests/webhooks/convergence.test.ts), in a few statements instead of a few per delivery — so a
 * flash sale's thousands of deliveries a second are a handful of transactions.
 * - Deliveries about one resource collapse to the newest (by Shopify's updated_at, then arrival):
 *   newest-wins would let only that one through anyway.
 * - Products, orders and inventory levels are then written with one batched upsert each; the
 *   children a product's or order's newest payload no longer lists are deleted in one statement, for
 *   the parents whose write the newest-wins guard let through (read before the write, judged by the
 *   same rule: shouldApply).
 * - A resource with a products/delete among its deliveries is applied one delivery at a time, in
 *   order: tombstones have rules of their own (settleDeletedProduct).
 */
export async function writeWebhookRows(tx: Writer, storeId: number, deliveries: readonly WebhookRows[]): Promise<void> {
  // On SQLite the batched writer runs prepared statements on the transaction's own connection.
  const writer = sqliteWriter(tx);
  const byResource = new Map<string, WebhookRows[]>();
  for (const rows of deliveries) {
    const key = resourceKey(rows);
    const group = byResource.get(key);
    if (group) group.push(rows);
    else byResource.set(key, [rows]);
  }
  const products: ProductWithVariants[] = [];
  const orders: OrderWithLineItems[] = [];
  const levels: AvailableLevelRow[] = [];
  for (const group of byResource.values()) {
    if (group.some((rows) => rows.kind === "productTombstone")) {
      for (const rows of group) await applyRows(writer, storeId, rows);
      continue;
    }
    // Ties go to the later arrival, as they would one by one (equal times apply).
    const newest = group.reduce((best, rows) => (updatedAtOf(rows) >= updatedAtOf(best) ? rows : best));
    if (newest.kind === "product") products.push(newest.product);
    else if (newest.kind === "order") orders.push(newest.order);
    else if (newest.kind === "inventoryLevel") levels.push(newest.level);
  }
  await writeProductBatch(writer, storeId, products);
  await writeOrderBatch(writer, storeId, orders);
  if (levels.length) await writeAvailableLevels(writer, storeId, levels);
}

/**
 * Products with their variants. products/update lists every variant the product has now, so for each
 * product whose write newest-wins let through, the stored variants it no longer lists were deleted.
 */
async function writeProductBatch(tx: Writer, storeId: number, items: readonly ProductWithVariants[]): Promise<void> {
  if (items.length === 0) return;
  const stored = await storedVersions(
    tx,
    "products",
    storeId,
    items.map((item) => item.product.shopifyId),
  );
  await writeProducts(tx, storeId, items, "webhook");
  const applied = items.filter((item) => shouldApply(stored.get(item.product.shopifyId) ?? null, item.product));
  await pruneChildren(
    tx,
    storeId,
    "variants",
    applied.map((item) => ({
      parentId: item.product.shopifyId,
      keep: item.variants.map((variant) => variant.shopifyId),
    })),
  );
  for (const item of items) {
    if (!applied.includes(item) && stored.get(item.product.shopifyId)?.deletedAt) {
      await settleDeletedProduct(tx, storeId, item);
    }
  }
}

/** Orders with their line items; as writeProductBatch, line items an applied order no longer lists go. */
async function writeOrderBatch(tx: Writer, storeId: number, items: readonly OrderWithLineItems[]): Promise<void> {
  if (items.length === 0) return;
  const stored = await storedVersions(
    tx,
    "orders",
    storeId,
    items.map((item) => item.order.shopifyId),
  );
  await writeOrders(tx, storeId, items, "webhook");
  const applied = items.filter((item) => shouldApply(stored.get(item.order.shopifyId) ?? null, item.order));
  await pruneChildren(
    tx,
    storeId,
    "lineItems",
    applied.map((item) => ({ parentId: item.order.shopifyId, keep: item.lineItems.map((line) => line.shopifyId) })),
  );
}

/**
 * A products/create or products/update the newest-wins guard refused. When the product is deleted,
 * the delivery may still be pre-deletion data that arrived late (Shopify delivers in any order), and
 * the final rows must not depend on that order (tests/webhooks/convergence.test.ts):
 * - a deleted product has no variants, however late its last update's variants arrived (the writer
 *   upserts variants by their own updated_at, even when the product itself was refused);
 * - the tombstone keeps the newest pre-deletion data: a tombstone written before any data (the
 *   placeholder: no created-at, empty title) or one holding older data takes this delivery's fields,
 *   and keeps its deletedAt. So "update, then delete" and "delete, then late update" leave one row.
 */
async function settleDeletedProduct(tx: Writer, storeId: number, { product }: ProductWithVariants): Promise<void> {
  const stored = await tx.shopifyProduct.findUnique({
    where: { storeId_shopifyId: { storeId, shopifyId: product.shopifyId } },
    select: { deletedAt: true },
  });
  if (!stored?.deletedAt) return; // refused because the stored live row is newer: nothing to settle
  await pruneChildren(tx, storeId, "variants", [{ parentId: product.shopifyId, keep: [] }]);
  const incoming = new Date(product.shopifyUpdatedAt);
  if (incoming.getTime() > stored.deletedAt.getTime()) return; // cannot happen: it would have healed
  const { shopifyId, deletedAt: _live, ...fields } = product;
  await tx.shopifyProduct.updateMany({
    where: {
      storeId,
      shopifyId,
      deletedAt: { not: null },
      OR: [{ shopifyCreatedAt: null, title: "" }, { shopifyUpdatedAt: { lt: incoming } }],
    },
    data: { ...fields, raw: fields.raw ?? dbNull(), syncedAt: new Date(), syncedBy: "webhook" },
  });
}
