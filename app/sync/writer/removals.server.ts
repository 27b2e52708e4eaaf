// Removing what Shopify no longer has, found by reconciliation's id listing or by a full sync's bulk
// file (app/sync/full-sync/missing-rows.server.ts). Part of the data layer (docs/decisions/0005):
// every statement carries the store id it was given.
import { db } from "~/db.server";
import type { WriteSource } from "./shop-data.server";

/** Statements name this many ids at most (well under SQLite's and PostgreSQL's bound-value limits). */
const IDS_PER_STATEMENT = 500;

export function chunks<T>(values: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < values.length; start += IDS_PER_STATEMENT) {
    out.push(values.slice(start, start + IDS_PER_STATEMENT));
  }
  return out;
}

/**
 * Tombstones products (`deletedAt`, so a late update cannot resurrect them) and deletes their
 * variants, as Shopify deletes a product's variants with it and products/delete does here
 * (app/webhooks/handlers/sync-topics.server.ts). Returns how many products were tombstoned.
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
    const [{ count }] = await db.$transaction([
      db.shopifyProduct.updateMany({
        where: { storeId, deletedAt: null, shopifyId: { in: batch } },
        data: { deletedAt: at, syncedAt: at, syncedBy: source },
      }),
      db.shopifyProductVariant.deleteMany({ where: { storeId, productId: { in: batch } } }),
    ]);
    tombstoned += count;
  }
  return tombstoned;
}
