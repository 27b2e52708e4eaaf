// Task "sync/reconcile": the scheduled reconciliation of one resource of a store
// (app/sync/reconcile/reconcile.server.ts: an incremental pass, then deletions found by comparing
// ids), recorded as a ShopifySyncJob row (kind reconcile).
//
// Scheduling is a chain, not a cron: each run, when it ends, enqueues the next one with
// runAt = now + store.reconcileEveryHours under the job key `sync/reconcile:<storeId>:<resource>`,
// so there is never more than one waiting run per store and resource. It does so after success, or
// on the job's last attempt (so a run that keeps failing does not end the chain); enqueueing the key
// earlier would make the running job give up its key and lose its retries (docs/decisions/0009).
// scheduleReconciliation() starts (or repairs) the chain, e.g. after the first full sync; with
// preserve_run_at it never postpones a run that is already scheduled.
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { failRun, resolveRun, shopQueue, syncJobKey, syncTaskPayload } from "~/sync/incremental/job.server";
import { failSyncJob, finishSyncJob, startSyncJob, SYNC_RESOURCES, type SyncResource } from "~/sync/jobs.server";
import { enqueue, type Task } from "~/sync/queue.server";
import { runReconciliation } from "~/sync/reconcile/reconcile.server";

export const RECONCILE_TASK = "sync/reconcile";

/** Enqueues the next reconciliation of (store, resource) at `runAt`. */
export async function scheduleNextReconciliation(
  store: { id: number; shop: string },
  resource: SyncResource,
  runAt: Date,
  mode: "replace" | "preserve_run_at" = "replace",
): Promise<void> {
  await enqueue(
    RECONCILE_TASK,
    { storeId: store.id, resource, trigger: "schedule" },
    {
      queueName: shopQueue(store.shop),
      jobKey: syncJobKey(RECONCILE_TASK, store.id, resource),
      jobKeyMode: mode,
      runAt,
      shop: store.shop,
    },
  );
}

/**
 * Makes sure every resource of the store has its reconciliation scheduled: at lastReconciledAt +
 * reconcileEveryHours (now, if overdue). A resource never reconciled waits one interval too: the
 * chain starts with the install's full sync, which reads everything a reconciliation would (run at
 * once, it read the whole shop again through paged queries, ahead of the full sync's own writes in the
 * shop's queue). Idempotent.
 */
export async function scheduleReconciliation(storeId: number, now = new Date()): Promise<void> {
  const store = await db.shopifyStore.findUniqueOrThrow({
    where: { id: storeId },
    select: { id: true, shop: true, reconcileEveryHours: true, syncStates: true },
  });
  for (const resource of SYNC_RESOURCES) {
    const last = store.syncStates.find((state) => state.resource === resource)?.lastReconciledAt;
    const due = new Date((last ?? now).getTime() + store.reconcileEveryHours * 3_600_000);
    await scheduleNextReconciliation(store, resource, due > now ? due : now, "preserve_run_at");
  }
}

export const reconcile: Task = async (rawPayload, { job, abortSignal, logger }) => {
  const payload = syncTaskPayload.parse(rawPayload);
  const run = await resolveRun(payload, "reconcile");
  if (!run) return;
  if (run.store.status !== "active") {
    // Uninstalled: the chain ends here; reinstalling schedules it again.
    await failSyncJob(run.row.id, new Error(`store ${run.store.shop} is not installed`));
    return;
  }
  const next = () =>
    scheduleNextReconciliation(
      run.store,
      run.resource,
      new Date(Date.now() + run.store.reconcileEveryHours * 3_600_000),
    );
  await startSyncJob(run.row.id);
  try {
    const result = await runReconciliation({
      store: run.store,
      resource: run.resource,
      client: adminClientFor(run.store.shop),
      syncJobId: run.row.id,
      signal: abortSignal,
    });
    await finishSyncJob(run.row.id);
    logger.info({ shop: run.store.shop, resource: run.resource, ...result }, "sync:reconciled");
  } catch (error) {
    if (job.attempts >= job.maxAttempts) await next();
    await failRun(run, job, error);
  }
  await next();
};
