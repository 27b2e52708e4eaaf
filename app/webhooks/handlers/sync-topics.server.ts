// Deliveries that change synced data: products, orders, inventory levels. Mapped by the same engine
// as the sync (app/sync/engine) and written by the same writer, with the same newest-wins rule, so a
// delivery that arrives after newer data changes nothing.
import type { Prisma } from "@prisma/client";
import { dbNull } from "~/db.server";
import { fromWebhook, type MappedTopic } from "~/sync/engine/fromWebhook";
import type { ProductWithVariants } from "~/sync/engine/rows";
import {
  writeInventoryLevels,
  writeOrders,
  writeProducts,
  writeProductTombstone,
} from "~/sync/writer/shop-data.server";
import { WebhookPayloadError, type WebhookContext } from "./context";

export async function handleSyncTopic(
  tx: Prisma.TransactionClient,
  topic: MappedTopic,
  { store, payload, triggeredAt, receivedAt }: WebhookContext,
): Promise<void> {
  let rows: ReturnType<typeof fromWebhook>;
  try {
    rows = fromWebhook(topic, payload, { triggeredAt: triggeredAt ?? receivedAt });
  } catch (error) {
    // The mapper is pure (no I/O): whatever it throws on this payload it throws on every retry.
    throw new WebhookPayloadError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  switch (rows.kind) {
    case "product": {
      const { written } = await writeProducts(tx, store.id, [rows.product], "webhook");
      // products/update lists every variant the product has now: one that is gone was deleted.
      if (written === 1) {
        await tx.shopifyProductVariant.deleteMany({
          where: {
            storeId: store.id,
            productId: rows.product.product.shopifyId,
            shopifyId: { notIn: rows.product.variants.map((variant) => variant.shopifyId) },
          },
        });
        return;
      }
      await settleDeletedProduct(tx, store.id, rows.product);
      return;
    }
    case "productTombstone":
      await writeProductTombstone(tx, store.id, rows.tombstone);
      // Shopify deletes a product's variants with it.
      await tx.shopifyProductVariant.deleteMany({ where: { storeId: store.id, productId: rows.tombstone.shopifyId } });
      return;
    case "order": {
      const { written } = await writeOrders(tx, store.id, [rows.order], "webhook");
      if (written === 1) {
        await tx.shopifyOrderLineItem.deleteMany({
          where: {
            storeId: store.id,
            orderId: rows.order.order.shopifyId,
            shopifyId: { notIn: rows.order.lineItems.map((line) => line.shopifyId) },
          },
        });
      }
      return;
    }
    case "inventoryLevel":
      await writeInventoryLevels(tx, store.id, [rows.level]);
      return;
  }
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
