// Deliveries that change synced data: products, orders, inventory levels. Mapped by the same engine
// as the sync (app/sync/engine) and written by the same writer, with the same newest-wins rule, so a
// delivery that arrives after newer data changes nothing.
import type { Prisma } from "@prisma/client";
import { sqliteWriter } from "~/db/sqlite-connection.server";
import { dbNull } from "~/db.server";
import { configuredCustomerData } from "~/sync/customer-data.server";
import { fromWebhook, type MappedTopic, type WebhookRows } from "~/sync/engine/from-webhook";
import { shouldApply } from "~/sync/engine/newest-wins";
import type { InventoryLevelRow, OrderWithLineItems, ProductWithVariants } from "~/sync/engine/rows";
import {
  writeInventoryLevels,
  writeOrders,
  writeProducts,
  writeProductTombstone,
} from "~/sync/writer/shop-data.server";
import { WebhookPayloadError, type WebhookContext } from "./context";

/** The rows a delivery of a sync topic maps to; a payload that cannot map is a WebhookPayloadError. */
export function mapSyncTopic(topic: MappedTopic, { payload, triggeredAt, receivedAt }: WebhookContext): WebhookRows {
  try {
    return fromWebhook(topic, payload, { triggeredAt: triggeredAt ?? receivedAt }, configuredCustomerData());
  } catch (error) {
    // The mapper is pure (no I/O): whatever it throws on this payload it throws on every retry.
    throw new WebhookPayloadError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export async function handleSyncTopic(
  tx: Prisma.TransactionClient,
  topic: MappedTopic,
  context: WebhookContext,
): Promise<void> {
  await handleSyncTopicBatch(tx, context.store.id, [mapSyncTopic(topic, context)]);
}

/** One delivery's rows, alone: the batch writers with one item, or a products/delete. */
async function applyRows(tx: Prisma.TransactionClient, storeId: number, rows: WebhookRows): Promise<void> {
  switch (rows.kind) {
    case "product":
      return writeProductBatch(tx, storeId, [rows.product]);
    case "productTombstone":
      await writeProductTombstone(tx, storeId, rows.tombstone);
      // Shopify deletes a product's variants with it.
      await tx.shopifyProductVariant.deleteMany({ where: { storeId, productId: rows.tombstone.shopifyId } });
      return;
    case "order":
      return writeOrderBatch(tx, storeId, [rows.order]);
    case "inventoryLevel":
      await writeInventoryLevels(tx, storeId, [rows.level]);
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
export async function handleSyncTopicBatch(
  tx: Prisma.TransactionClient,
  storeId: number,
  deliveries: readonly WebhookRows[],
): Promise<void> {
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
  const levels: InventoryLevelRow[] = [];
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
  if (levels.length) await writeInventoryLevels(writer, storeId, levels);
}

/**
 * Products with their variants. products/update lists every variant the product has now, so for each
 * product whose write newest-wins let through, the stored variants it no longer lists were deleted.
 */
async function writeProductBatch(
  tx: Prisma.TransactionClient,
  storeId: number,
  items: readonly ProductWithVariants[],
): Promise<void> {
  if (items.length === 0) return;
  const stored = new Map(
    (
      await tx.shopifyProduct.findMany({
        where: { storeId, shopifyId: { in: items.map((item) => item.product.shopifyId) } },
        select: { shopifyId: true, shopifyUpdatedAt: true, deletedAt: true },
      })
    ).map((row) => [row.shopifyId, row]),
  );
  await writeProducts(tx, storeId, items, "webhook");
  const applied = items.filter((item) => shouldApply(stored.get(item.product.shopifyId) ?? null, item.product));
  if (applied.length) {
    await tx.shopifyProductVariant.deleteMany({
      where: {
        storeId,
        OR: applied.map((item) => ({
          productId: item.product.shopifyId,
          shopifyId: { notIn: item.variants.map((variant) => variant.shopifyId) },
        })),
      },
    });
  }
  for (const item of items) {
    if (!applied.includes(item) && stored.get(item.product.shopifyId)?.deletedAt) {
      await settleDeletedProduct(tx, storeId, item);
    }
  }
}

/** Orders with their line items; as writeProductBatch, line items an applied order no longer lists go. */
async function writeOrderBatch(
  tx: Prisma.TransactionClient,
  storeId: number,
  items: readonly OrderWithLineItems[],
): Promise<void> {
  if (items.length === 0) return;
  const stored = new Map(
    (
      await tx.shopifyOrder.findMany({
        where: { storeId, shopifyId: { in: items.map((item) => item.order.shopifyId) } },
        select: { shopifyId: true, shopifyUpdatedAt: true },
      })
    ).map((row) => [row.shopifyId, row]),
  );
  await writeOrders(tx, storeId, items, "webhook");
  const applied = items.filter((item) => shouldApply(stored.get(item.order.shopifyId) ?? null, item.order));
  if (applied.length === 0) return;
  await tx.shopifyOrderLineItem.deleteMany({
    where: {
      storeId,
      OR: applied.map((item) => ({
        orderId: item.order.shopifyId,
        shopifyId: { notIn: item.lineItems.map((line) => line.shopifyId) },
      })),
    },
  });
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
async function settleDeletedProduct(
  tx: Prisma.TransactionClient,
  storeId: number,
  { product }: ProductWithVariants,
): Promise<void> {
  const stored = await tx.shopifyProduct.findUnique({
    where: { storeId_shopifyId: { storeId, shopifyId: product.shopifyId } },
    select: { deletedAt: true },
  });
  if (!stored?.deletedAt) return; // refused because the stored live row is newer: nothing to settle
  await tx.shopifyProductVariant.deleteMany({ where: { storeId, productId: product.shopifyId } });
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
