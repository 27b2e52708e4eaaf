// What starts a sync: the first full sync on install (afterAuth), "sync now" from the UI, the API and
// the command line (requestSync), and bulk_operations/finish (wakes the full sync that waits for its
// operation). Every sync is a row in shopify_sync_jobs plus a queue job that carries the row's id.
//
// Duplicate requests collapse: while a (store, kind, resource) sync is queued or running, asking again
// returns that job instead of starting a second one; the database holds at most one such row, so two
// requests at the same moment collapse too. The row and its queue job are written in one
// transaction, so neither exists without the other.
import type { ShopifySyncJob } from "@prisma/client";
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";
import {
  createSyncJob,
  findUnfinishedSyncJob,
  isDuplicateUnfinishedSyncJob,
  SYNC_RESOURCES,
  type SyncKind,
  type SyncResource,
  type SyncTrigger,
} from "~/sync/jobs.server";
import { scheduleReconciliation } from "~/sync/reconcile/schedule.server";
import { enqueueFullSync } from "~/sync/tasks/sync/full.server";
import { enqueueIncrementalSync, INCREMENTAL_SYNC_TASK } from "~/sync/tasks/sync/incremental.server";

export { INCREMENTAL_SYNC_TASK };

export interface SyncRequest {
  kind: Extract<SyncKind, "full" | "incremental">;
  resource: SyncResource;
  trigger?: SyncTrigger;
}

export interface RequestedSync {
  job: ShopifySyncJob;
  /** False when an unfinished sync of the same kind and resource was returned instead. */
  created: boolean;
}

/** Starts a sync of one resource of a store, or returns the one already queued or running. */
export async function requestSync(storeId: number, request: SyncRequest): Promise<RequestedSync> {
  const store = await db.shopifyStore.findUniqueOrThrow({
    where: { id: storeId },
    select: { shop: true, status: true },
  });
  if (store.status !== "active") throw new Error(`store ${store.shop} is not installed`);
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(async (tx) => {
        const existing = await findUnfinishedSyncJob(storeId, request.kind, request.resource, tx);
        if (existing) return { job: existing, created: false };
        const job = await createSyncJob(
          { storeId, kind: request.kind, resource: request.resource, trigger: request.trigger ?? "manual" },
          tx,
        );
        if (request.kind === "full") await enqueueFullSync(job, store.shop, undefined, tx);
        else await enqueueIncrementalSync(job, store.shop, tx);
        return { job, created: true };
      });
    } catch (error) {
      // A concurrent request created the unfinished row between our read and our insert (READ
      // COMMITTED): the database refused ours, so run again and join theirs.
      if (!isDuplicateUnfinishedSyncJob(error) || attempt >= 3) throw error;
    }
  }
}

/** A full sync of every resource. The three bulk operations run on Shopify at the same time. */
export async function requestFullSync(storeId: number, trigger: SyncTrigger = "manual"): Promise<RequestedSync[]> {
  const requested: RequestedSync[] = [];
  for (const resource of SYNC_RESOURCES)
    requested.push(await requestSync(storeId, { kind: "full", resource, trigger }));
  return requested;
}

/**
 * Every authentication (afterAuth, and finishing an interrupted install: app/stores/install.server.ts):
 * the first full sync of a newly installed shop, and the store's reconciliation chain. The full sync
 * is requested only once per store (reinstalls keep their data; the incremental sync and
 * reconciliation catch up); the chain is ensured every time, since uninstalling ends it and a failure
 * may have broken it (docs/decisions/0019-recurring-work.md). Idempotent.
 */
export async function onShopAuthenticated(shop: string): Promise<void> {
  const store = await db.shopifyStore.findUnique({ where: { shop }, select: { id: true, status: true } });
  if (!store || store.status !== "active") return;
  const previous = await db.shopifySyncJob.count({ where: { storeId: store.id, kind: "full" } });
  if (previous === 0) {
    await requestFullSync(store.id, "install");
    logger.info({ shop }, "sync:first-full-sync-requested");
  }
  // Reconciliation catches what webhooks miss; scheduling never postpones a run already waiting.
  await scheduleReconciliation(store.id);
}

/**
 * bulk_operations/finish: wakes the full sync waiting for this operation now instead of at its next
 * poll (replacing its waiting job under the same job key). Returns whether a sync was waiting.
 */
export async function onBulkOperationFinished(storeId: number, bulkOperationId: string): Promise<boolean> {
  const job = await db.shopifySyncJob.findFirst({
    where: { storeId, bulkOperationId, kind: "full", status: { in: ["queued", "running"] } },
    include: { store: { select: { shop: true } } },
  });
  if (!job) return false;
  await enqueueFullSync(job, job.store.shop);
  return true;
}
