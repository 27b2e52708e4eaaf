// Removing what Shopify no longer has: children a parent no longer lists (variants, line items),
// products Shopify deleted (tombstones), and the rows reconciliation's id listing or a full sync's
// bulk file found gone (missing-rows.server.ts). The one home of these rules for the sync, the
// webhooks and the product page's resync alike. Part of the data layer (docs/decisions/0005): every
// statement carries the store id it was given.
import type { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import type { WriteSource } from "./shop-data.server";
import { chunks, IDS_PER_STATEMENT, preparedStatement, sqliteValue, type Executor } from "./upsert.server";

/** A Prisma client or interactive transaction. */
type Client = Prisma.TransactionClient;

const DAY_MS = 86_400_000;

/**
 * The one order-window rule of removals: orders are judged gone only from a day inside the first
 * creation time the sync read (the store's order history, app/sync/order-history.ts), so an order at
 * the window's edge is never judged by two clocks. Older orders are hidden from us or outside the
 * history we keep, not deleted. `historyStart` null: every order was read.
 */
export function ordersJudgedFrom(historyStart: Date | null): Prisma.ShopifyOrderWhereInput {
  return historyStart ? { shopifyCreatedAt: { gte: new Date(historyStart.getTime() + DAY_MS) } } : {};
}

/** A parent whose payload lists its children: the children it does not list are gone. */
export interface ListedChildren {
  parentId: string;
  /** The children the parent lists now (none: every child goes). */
  keep: readonly string[];
  /**
   * Only children not newer than this go: a child added after the parent was read (by a webhook
   * applied meanwhile) stays. Unset: every unlisted child goes.
   */
  notNewerThan?: Date;
}

/**
 * Deletes the children (a product's variants, an order's line items) that their parent no longer
 * lists. Used for products/update and orders/* deliveries (their payload lists every child), for
 * products read whole by the incremental sync and the resync, and for deleted products (keep nothing).
 * Returns how many rows were deleted.
 */
export async function pruneChildren(
  tx: Client & Pick<Executor, "sqlite">,
  storeId: number,
  children: "variants" | "lineItems",
  parents: readonly ListedChildren[],
): Promise<number> {
  if (tx.sqlite) return pruneChildrenPrepared(tx.sqlite, storeId, children, parents);
  let deleted = 0;
  // A statement binds each parent's id, its kept ids and its time: bounded by IDS_PER_STATEMENT.
  for (const batch of batchesByIds(parents)) {
    if (children === "variants") {
      const { count } = await tx.shopifyProductVariant.deleteMany({
        where: {
          storeId,
          OR: batch.map((parent) => ({
            productId: parent.parentId,
            shopifyId: { notIn: [...parent.keep] },
            ...(parent.notNewerThan ? { shopifyUpdatedAt: { lte: parent.notNewerThan } } : {}),
          })),
        },
      });
      deleted += count;
    } else {
      const { count } = await tx.shopifyOrderLineItem.deleteMany({
        where: {
          storeId,
          OR: batch.map((parent) => ({
            orderId: parent.parentId,
            shopifyId: { notIn: [...parent.keep] },
            ...(parent.notNewerThan ? { orderUpdatedAt: { lte: parent.notNewerThan } } : {}),
          })),
        },
      });
      deleted += count;
    }
  }
  return deleted;
}

/**
 * pruneChildren on the SQLite connection of the caller's transaction (sqliteWriter): one prepared
 * statement run per parent, with the kept ids as a JSON array. The webhook batches prune a hundred
 * parents per page: through Prisma that was one statement with a hundred OR branches to compile.
 */
function pruneChildrenPrepared(
  connection: NonNullable<Executor["sqlite"]>,
  storeId: number,
  children: "variants" | "lineItems",
  parents: readonly ListedChildren[],
): number {
  const [table, parentColumn, timeColumn] =
    children === "variants"
      ? ["shopify_product_variants", "productId", "shopifyUpdatedAt"]
      : ["shopify_order_line_items", "orderId", "orderUpdatedAt"];
  const base = `DELETE FROM "${table}" WHERE "storeId" = ? AND "${parentColumn}" = ? AND "shopifyId" NOT IN (SELECT value FROM json_each(?))`;
  const all = preparedStatement(connection, base);
  const notNewer = preparedStatement(connection, `${base} AND "${timeColumn}" <= ?`);
  let deleted = 0;
  for (const parent of parents) {
    const keep = JSON.stringify(parent.keep);
    deleted += (
      parent.notNewerThan
        ? notNewer.run([storeId, parent.parentId, keep, sqliteValue(parent.notNewerThan)])
        : all.run([storeId, parent.parentId, keep])
    ).changes;
  }
  return deleted;
}

function batchesByIds(parents: readonly ListedChildren[]): ListedChildren[][] {
  const batches: ListedChildren[][] = [];
  let batch: ListedChildren[] = [];
  let ids = 0;
  for (const parent of parents) {
    const size = parent.keep.length + 2;
    if (batch.length && ids + size > IDS_PER_STATEMENT) {
      batches.push(batch);
      batch = [];
      ids = 0;
    }
    batch.push(parent);
    ids += size;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

/**
 * Tombstones products (`deletedAt`, so a late update cannot resurrect them) and deletes their
 * variants, as Shopify deletes a product's variants with it and products/delete does here
 * (webhook-batch.server.ts). Returns how many products were tombstoned.
 */
export async function tombstoneProducts(
  storeId: number,
  shopifyIds: readonly string[],
  source: Exclude<WriteSource, "webhook">,
  now: () => Date = () => new Date(),
): Promise<number> {
  let tombstoned = 0;
  for (const batch of chunks(shopifyIds)) {
    const at = now();
    tombstoned += await db.$transaction(async (tx) => {
      const { count } = await tx.shopifyProduct.updateMany({
        where: { storeId, deletedAt: null, shopifyId: { in: batch } },
        data: { deletedAt: at, syncedAt: at, syncedBy: source },
      });
      await pruneChildren(
        tx,
        storeId,
        "variants",
        batch.map((parentId) => ({ parentId, keep: [] })),
      );
      return count;
    });
  }
  return tombstoned;
}

/** Deletes orders Shopify no longer has (their line items go with them: ON DELETE CASCADE). */
export async function deleteOrders(storeId: number, shopifyIds: readonly string[]): Promise<number> {
  let deleted = 0;
  for (const batch of chunks(shopifyIds)) {
    const { count } = await db.shopifyOrder.deleteMany({ where: { storeId, shopifyId: { in: batch } } });
    deleted += count;
  }
  return deleted;
}

/** Marks locations Shopify no longer has deleted (levels keep their location row). */
export async function markLocationsDeleted(
  storeId: number,
  shopifyIds: readonly string[],
  now: () => Date = () => new Date(),
): Promise<number> {
  let marked = 0;
  for (const batch of chunks(shopifyIds)) {
    const at = now();
    const { count } = await db.shopifyLocation.updateMany({
      where: { storeId, deletedAt: null, shopifyId: { in: batch } },
      data: { deletedAt: at, isActive: false, syncedAt: at },
    });
    marked += count;
  }
  return marked;
}

/** Deletes inventory levels Shopify no longer has. */
export async function deleteInventoryLevels(
  storeId: number,
  levels: ReadonlyArray<{ inventoryItemId: string; locationId: string }>,
): Promise<number> {
  let deleted = 0;
  for (const batch of chunks(levels)) {
    const { count } = await db.shopifyInventoryLevel.deleteMany({
      where: {
        storeId,
        OR: batch.map((row) => ({ inventoryItemId: row.inventoryItemId, locationId: row.locationId })),
      },
    });
    deleted += count;
  }
  return deleted;
}
