// Deliveries that change synced data: products, orders, inventory levels. Mapped by the same engine
// as the sync (app/sync/engine) and written by the same writer, with the same newest-wins rule, so a
// delivery that arrives after newer data changes nothing.
import type { Prisma } from "@prisma/client";
import { fromWebhook, type MappedTopic } from "~/sync/engine/fromWebhook";
import {
  writeInventoryLevels,
  writeOrders,
  writeProducts,
  writeProductTombstone,
} from "~/sync/writer/shop-data.server";
import type { WebhookContext } from "./context";

export async function handleSyncTopic(
  tx: Prisma.TransactionClient,
  topic: MappedTopic,
  { store, payload, triggeredAt, receivedAt }: WebhookContext,
): Promise<void> {
  const rows = fromWebhook(topic, payload, { triggeredAt: triggeredAt ?? receivedAt });
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
      }
      return;
    }
    case "productTombstone":
      return writeProductTombstone(tx, store.id, rows.tombstone);
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
