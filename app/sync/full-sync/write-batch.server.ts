// Commits one batch of a bulk file: its rows and the job's checkpoint in one transaction, so after a
// crash the checkpoint names exactly the lines whose rows are in the database (no batch redone, none
// lost). Parents are written before children (variants → products, line items → orders are foreign
// keys). Background writer (docs/decisions/0005, addendum): every statement carries the store id.
//
// On SQLite the rows go through prepared statements on the transaction's own connection
// (sqliteWriter, app/db/sqlite-connection.server.ts); the checkpoint goes through Prisma, in the same
// transaction.
import { sqliteWriter } from "~/db/sqlite-connection.server";
import { db } from "~/db.server";
import { progressSyncJob } from "~/sync/jobs.server";
import { writeInventoryLevels, writeLocations, writeOrders, writeProducts } from "~/sync/writer/shop-data.server";
import { SYNCED_TABLES } from "~/sync/writer/tables.server";
import { upsertRows } from "~/sync/writer/upsert.server";
import type { Batch, BulkCheckpoint, ParentLookup } from "./consume.server";

export async function commitBatch(
  storeId: number,
  syncJobId: string,
  bulkOperationId: string,
  batch: Batch,
  /** The checkpoint this batch continues: its polls and the sync's restarts carry over; lines are the batch's. */
  carried: Pick<BulkCheckpoint, "polls" | "restarts" | "restartReason">,
): Promise<void> {
  const now = new Date();
  const checkpoint: BulkCheckpoint = {
    ...carried,
    bulkOperationId,
    linesCommitted: batch.linesCommitted,
    waiting: batch.waiting,
  };
  await db.$transaction(
    async (prismaTx) => {
      const tx = sqliteWriter(prismaTx);
      if (batch.products.length) {
        await writeProducts(
          tx,
          storeId,
          batch.products.map((product) => ({ product, variants: [] })),
          "bulk",
          now,
        );
      }
      if (batch.variants.length) {
        await upsertRows(tx, SYNCED_TABLES.variants, batch.variants, { storeId, syncedAt: now });
      }
      if (batch.orders.length) {
        await writeOrders(
          tx,
          storeId,
          batch.orders.map((order) => ({ order, lineItems: [] })),
          "bulk",
          now,
        );
      }
      if (batch.lineItems.length) {
        await upsertRows(tx, SYNCED_TABLES.lineItems, batch.lineItems, { storeId, syncedAt: now });
      }
      if (batch.locations.length) await writeLocations(tx, storeId, batch.locations, now);
      if (batch.inventoryLevels.length) await writeInventoryLevels(tx, storeId, batch.inventoryLevels, now);
      const units = {
        products: batch.products.length,
        variants: batch.variants.length,
        orders: batch.orders.length,
        locations: batch.locations.length,
        stockLevels: batch.inventoryLevels.length,
      };
      await progressSyncJob(syncJobId, { done: batch.lines, units, checkpoint }, prismaTx);
    },
    // A batch of thousands of rows on a slow shared disk can exceed Prisma's 5 s default.
    { timeout: 120_000, maxWait: 30_000 },
  );
}

/** Parents already in the database, for children whose parent line was committed before a crash. */
export function storedParents(storeId: number): ParentLookup {
  return {
    async products(ids) {
      const rows = await db.shopifyProduct.findMany({
        where: { storeId, shopifyId: { in: ids } },
        select: { shopifyId: true },
      });
      return new Set(rows.map((row) => row.shopifyId));
    },
    async orders(ids) {
      const rows = await db.shopifyOrder.findMany({
        where: { storeId, shopifyId: { in: ids } },
        select: { shopifyId: true, shopifyUpdatedAt: true },
      });
      return new Map(rows.map((row) => [row.shopifyId, row.shopifyUpdatedAt]));
    },
  };
}
