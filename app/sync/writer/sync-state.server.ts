// The sync state of a store's resource (`shopify_sync_states`): the cursor incremental syncs start from
// (Shopify's updated_at, moved forward only) and when the last full sync, incremental sync and
// reconciliation finished. One writer for all three, so the cursor's rule is written once.
import type { Prisma } from "@prisma/client";
import type { SyncResource } from "~/sync/jobs.server";

export interface SyncStateChange {
  /** Move the cursor to this time, unless it is already later (null or unset: leave it). */
  cursor?: Date | null;
  lastFullSyncAt?: Date;
  lastIncrementalAt?: Date;
  lastReconciledAt?: Date;
}

/** Records `change` in the caller's transaction; returns the cursor after it. */
export async function recordSyncState(
  tx: Prisma.TransactionClient,
  storeId: number,
  resource: SyncResource,
  { cursor: to, ...times }: SyncStateChange,
): Promise<Date | null> {
  const where = { storeId_resource: { storeId, resource } };
  const current = (await tx.shopifySyncState.findUnique({ where, select: { updatedAtCursor: true } }))?.updatedAtCursor;
  const cursor = to && (!current || to > current) ? to : (current ?? null);
  const moved = to !== undefined && to !== null && cursor === to;
  await tx.shopifySyncState.upsert({
    where,
    create: { storeId, resource, updatedAtCursor: cursor, ...times },
    update: { ...(moved ? { updatedAtCursor: cursor } : {}), ...times },
  });
  return cursor;
}
