// Newest wins (docs/decisions/0003-data-model.md): no write replaces a row with an older Shopify
// updated_at, whether it comes from a bulk sync, a page, a webhook or a retry, in any order.
//
// The rules, one place for both the in-memory check and the SQL guard:
// 1. No stored row: apply.
// 2. Incoming updated_at older than the stored one: skip. Equal: apply (the same write again is
//    harmless, and a retried delivery must not be reported as a conflict).
// 3. A stored row without a timestamp (a location Shopify sent without updatedAt): apply.
// 4. Tombstoned product (deletedAt): an update applies only when its updated_at is strictly after the
//    deletion, and then it clears deletedAt (ProductRow carries `deletedAt: null`).
//    Why not "a tombstone always wins": Shopify never reuses a deleted product's id, so an update
//    stamped after the deletion means the product still existed then — the tombstone was wrong (a
//    reconciliation that could not see the product, a delivery dated by a late X-Shopify-Triggered-At).
//    Healing beats a product hidden for good. Equal times go to the tombstone: the deletion is the
//    product's last event.
// 5. A tombstone applies to a live row whose updated_at ≤ deletedAt; a row already tombstoned keeps
//    its first deletion time (a redelivered products/delete changes nothing).
//
// The writer (app/sync/writer) encodes rules 2–4 in `INSERT … ON CONFLICT DO UPDATE … WHERE`;
// `upsertGuardSql` below is the same condition, and the Prisma `where` builders serve `updateMany`.
import type { Prisma } from "@prisma/client";
import type { ProductRow, ProductTombstone } from "./rows";

export interface StoredVersion {
  shopifyUpdatedAt: Date | null;
  deletedAt?: Date | null;
}

export interface IncomingVersion {
  shopifyUpdatedAt: Date;
}

/** Whether `incoming` may replace `existing` (rules 1–4). */
export function shouldApply(existing: StoredVersion | null, incoming: IncomingVersion): boolean {
  if (existing === null) return true;
  const at = incoming.shopifyUpdatedAt.getTime();
  if (existing.deletedAt && at <= existing.deletedAt.getTime()) return false;
  return existing.shopifyUpdatedAt === null || at >= existing.shopifyUpdatedAt.getTime();
}

/** Whether a products/delete tombstone changes the stored product (rule 5). */
export function shouldApplyTombstone(existing: StoredVersion | null, tombstone: ProductTombstone): boolean {
  if (existing === null) return true;
  if (existing.deletedAt) return false;
  return existing.shopifyUpdatedAt === null || existing.shopifyUpdatedAt.getTime() <= tombstone.deletedAt.getTime();
}

/**
 * The row to insert when a products/delete arrives for a product we never stored: a placeholder that
 * keeps a late, older products/update from creating it. (When the product is stored, write only
 * `{ deletedAt }` with tombstoneWhere, never this row.)
 */
export function tombstoneRow(tombstone: ProductTombstone): ProductRow {
  return {
    shopifyId: tombstone.shopifyId,
    title: "",
    handle: null,
    vendor: null,
    productType: null,
    status: null,
    tags: null,
    shopifyCreatedAt: null,
    shopifyUpdatedAt: tombstone.deletedAt,
    publishedAt: null,
    deletedAt: tombstone.deletedAt,
    raw: null,
  };
}

// ---- Prisma `where` guards for updateMany (tenantDb adds storeId) -----------------------------------

/** Rows 2–3: the stored row is not newer than `incoming`. */
export function newestWinsWhere(incoming: Date) {
  return { OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lte: incoming } }] } as const;
}

/** Rules 2–4 for products: not newer, and not deleted at or after `incoming`. */
export function productNewestWinsWhere(incoming: Date): Prisma.ShopifyProductWhereInput {
  return {
    shopifyUpdatedAt: { lte: incoming },
    OR: [{ deletedAt: null }, { deletedAt: { lt: incoming } }],
  };
}

/** Rule 5: `updateMany({ where: { shopifyId, ...tombstoneWhere(t) }, data: { deletedAt: t.deletedAt } })`. */
export function tombstoneWhere(tombstone: ProductTombstone): Prisma.ShopifyProductWhereInput {
  return { deletedAt: null, shopifyUpdatedAt: { lte: tombstone.deletedAt } };
}

/**
 * One guarded update per row, for `updateMany` (which takes one `data` per call): the row's key plus
 * the newest-wins condition. `key` names the primary-key columns besides storeId (["shopifyId"], or
 * ["inventoryItemId", "locationId"] for inventory levels). An update that matches nothing means
 * "not stored" or "stored newer": insert with createMany({ skipDuplicates }) / ON CONFLICT DO NOTHING
 * first, then run these.
 */
export function guardedUpdates<Row extends { shopifyUpdatedAt: Date }, Key extends keyof Row>(
  rows: readonly Row[],
  key: readonly Key[],
): Array<{ where: Pick<Row, Key> & ReturnType<typeof newestWinsWhere>; data: Row }> {
  return rows.map((row) => {
    const keyPart = Object.fromEntries(key.map((column) => [column, row[column]])) as Pick<Row, Key>;
    return { where: { ...keyPart, ...newestWinsWhere(row.shopifyUpdatedAt) }, data: row };
  });
}

/**
 * The same rules as SQL for `INSERT INTO <table> … ON CONFLICT (…) DO UPDATE SET … WHERE <this>`, on
 * SQLite and PostgreSQL alike. `table` must be a fixed table name, never input.
 */
export function upsertGuardSql(table: string, options: { tombstone?: boolean } = {}): string {
  const t = `"${table.replaceAll('"', '""')}"`;
  const conditions = [`(${t}."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= ${t}."shopifyUpdatedAt")`];
  if (options.tombstone) {
    conditions.push(`(${t}."deletedAt" IS NULL OR excluded."shopifyUpdatedAt" > ${t}."deletedAt")`);
  }
  return conditions.join(" AND ");
}

// ---- children ------------------------------------------------------------------------------------

/**
 * A product's variants (or an order's line items) as the newest payload lists them, against the ids
 * stored: those to upsert, and the stored ones the payload no longer has (deleted in Shopify). Only
 * meaningful when the parent write was applied, and when the payload holds *all* children (a full
 * webhook payload, or every page of a connection).
 */
export function diffChildren<Row extends { shopifyId: string }>(
  storedIds: Iterable<string>,
  incoming: readonly Row[],
): { upsert: Row[]; removeIds: string[] } {
  const keep = new Set(incoming.map((row) => row.shopifyId));
  return { upsert: [...incoming], removeIds: [...storedIds].filter((id) => !keep.has(id)) };
}
