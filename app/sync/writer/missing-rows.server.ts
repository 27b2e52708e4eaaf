// After a full sync has written a whole bulk file, the rows of its resource that the file did not hold
// are gone from Shopify. They are removed as reconciliation removes them (removals.server.ts):
// products tombstoned with their variants deleted, orders and inventory levels deleted, locations
// marked deleted. So a full sync leaves the mirror equal to the store even when it started from an old
// mirror (a reinstall, deliveries Shopify dropped), not only from an empty one.
//
// Which rows the file did not hold, without keeping its ids (a resumed job has none of the lines it
// read before the crash): a row the file held was written by this job (syncedAt after the job
// started), or was newer than the file and kept by newest-wins (updated after the operation began).
// A row neither written by the job nor updated since the operation began existed in Shopify before
// the operation read its data, so the file would hold it if Shopify still had it. Rows a webhook wrote
// while the job ran are newer than the operation and stay.
//
// Orders are judged only inside the window the bulk query covered (the store's order history), by the
// one order-window rule (ordersJudgedFrom): older orders are hidden from us or outside the history we
// keep, not deleted.
import { db } from "~/db.server";
import type { SyncResource } from "~/sync/jobs.server";
import { ordersJudgedFrom, tombstoneProducts } from "./removals.server";

/**
 * "Written by this job" is syncedAt from the job's start on; this much earlier, for the clocks of the
 * machines that wrote batches of a resumed job (PostgreSQL deployments) not agreeing to the second.
 */
const CLOCK_MARGIN_MS = 60_000;

export interface FileCoverage {
  storeId: number;
  resource: SyncResource;
  /** When the sync job first started (rows it wrote are stamped after). */
  jobStartedAt: Date;
  /** When Shopify created the bulk operation (rows updated since may be missing from its file). */
  operationCreatedAt: Date;
  /** The first order creation time the query asked for; null: all orders. */
  ordersCreatedFrom: Date | null;
}

/** Removes the resource's rows the file did not hold; returns how many rows were removed. */
export async function removeRowsMissingFromFile(coverage: FileCoverage): Promise<number> {
  const { storeId, operationCreatedAt } = coverage;
  const writtenFrom = new Date(coverage.jobStartedAt.getTime() - CLOCK_MARGIN_MS);
  const notWritten = { syncedAt: { lt: writtenFrom } };
  const olderThanFile = { shopifyUpdatedAt: { lt: operationCreatedAt } };
  switch (coverage.resource) {
    case "products": {
      const gone = await db.shopifyProduct.findMany({
        where: { storeId, deletedAt: null, ...notWritten, ...olderThanFile },
        select: { shopifyId: true },
      });
      const tombstoned = await tombstoneProducts(
        storeId,
        gone.map((row) => row.shopifyId),
        "bulk",
      );
      // Variants a product that is still there no longer has.
      const variants = await db.shopifyProductVariant.deleteMany({
        where: { storeId, ...notWritten, ...olderThanFile },
      });
      return tombstoned + variants.count;
    }
    case "orders": {
      const inWindow = ordersJudgedFrom(coverage.ordersCreatedFrom);
      // Line items go with their order (ON DELETE CASCADE).
      const orders = await db.shopifyOrder.deleteMany({
        where: { storeId, ...notWritten, ...olderThanFile, ...inWindow },
      });
      // Line items an order of the file no longer has (an order edit removed them): the file rewrote
      // that order's line items with the order's updatedAt, so these are older than their order. Only
      // orders this job wrote: another order's line items are as the last write left them.
      const lineItems = await db.$executeRaw`
        DELETE FROM "shopify_order_line_items" WHERE "storeId" = ${storeId} AND EXISTS (
          SELECT 1 FROM "shopify_orders" AS o
          WHERE o."storeId" = "shopify_order_line_items"."storeId"
            AND o."shopifyId" = "shopify_order_line_items"."orderId"
            AND o."syncedAt" >= ${writtenFrom}
            AND o."shopifyUpdatedAt" > "shopify_order_line_items"."orderUpdatedAt")`;
      return orders.count + lineItems;
    }
    case "inventory": {
      const at = new Date();
      const locations = await db.shopifyLocation.updateMany({
        where: {
          storeId,
          deletedAt: null,
          ...notWritten,
          OR: [{ shopifyUpdatedAt: null }, olderThanFile],
        },
        data: { deletedAt: at, isActive: false, syncedAt: at },
      });
      const levels = await db.shopifyInventoryLevel.deleteMany({ where: { storeId, ...notWritten, ...olderThanFile } });
      return locations.count + levels.count;
    }
  }
}
