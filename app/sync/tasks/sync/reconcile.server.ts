// Task "sync/reconcile": the scheduled reconciliation of one resource of a store
// (app/sync/reconcile/reconcile.server.ts: an incremental pass, then deletions found by comparing
// ids), recorded as a ShopifySyncJob row (kind reconcile).
//
// Scheduling is a chain, not a cron: each run, when it ends, enqueues the next one with
// runAt = now + store.reconcileEveryHours under the job key `sync/reconcile:<storeId>:<resource>`,
// so there is never more than one waiting run per store and resource. It does so after success, and
// after any failure the queue will not retry (an error retrying cannot fix, or the last attempt), so
// no failure of one run ends the chain; enqueueing the key while the run will still be retried would
// make the running job give up its key and lose its retries (docs/decisions/0009). Backstops, for
// what the run itself could not do (docs/decisions/0019-recurring-work.md): the queue's
// permanent-failure hook (reconcileGaveUp), every authentication, and the repair of overdue chains
// (app/sync/reconcile/schedule.server.ts, which also starts a store's chain).
import { db } from "~/db.server";
import { failRun, resolveActiveRun, runOptions, syncTaskPayload, willBeRetried } from "~/sync/incremental/job.server";
import { finishSyncJob, startSyncJob, SYNC_RESOURCES, type SyncResource } from "~/sync/jobs.server";
import { enqueue, jobKey, shopQueue, type JobInfo } from "~/sync/queue/queue.server";
import { runReconciliation } from "~/sync/reconcile/reconcile.server";
import type { ShopTask } from "../shop-task.server";

export const RECONCILE_TASK = "sync/reconcile";

/** `{ storeId, resource, trigger }` for a scheduled run, or `{ syncJobId }` (the incremental sync's payload). */
export const reconcilePayload = syncTaskPayload;

/** Enqueues the next reconciliation of (store, resource) at `runAt`. */
export async function enqueueReconciliation(
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
      jobKey: jobKey(RECONCILE_TASK, store.id, resource),
      jobKeyMode: mode,
      runAt,
      shop: store.shop,
    },
  );
}

export const reconcile: ShopTask = async (rawPayload, { job, abortSignal, logger, adminFor }) => {
  const payload = reconcilePayload.parse(rawPayload);
  // Uninstalled: the chain ends here (resolveActiveRun fails the run); reinstalling schedules it again.
  const run = await resolveActiveRun(payload, "reconcile");
  if (!run) return;
  const next = () =>
    enqueueReconciliation(run.store, run.resource, new Date(Date.now() + run.store.reconcileEveryHours * 3_600_000));
  try {
    await startSyncJob(run.row.id);
    const result = await runReconciliation(runOptions(run, { adminFor, abortSignal }));
    await finishSyncJob(run.row.id);
    logger.info({ shop: run.store.shop, resource: run.resource, ...result }, "sync:reconciled");
  } catch (error) {
    // This run is over for good: the next one is scheduled before the failure is reported.
    if (!willBeRetried(job, error)) await next();
    await failRun(run, job, error);
  }
  await next();
};

/**
 * The queue's permanent-failure hook for this task: the run failed for good without scheduling its
 * successor (it failed before it could, or the scheduling write failed too). Schedules it, unless one
 * is already waiting; an uninstalled store's chain stays ended.
 */
export async function reconcileGaveUp(job: JobInfo): Promise<void> {
  const payload = reconcilePayload.safeParse(job.payload);
  if (!payload.success) return;
  const row =
    "syncJobId" in payload.data
      ? await db.shopifySyncJob.findUnique({
          where: { id: payload.data.syncJobId },
          select: { storeId: true, resource: true },
        })
      : payload.data;
  const resource = SYNC_RESOURCES.find((name) => name === row?.resource);
  if (!row || !resource) return;
  const store = await db.shopifyStore.findUnique({
    where: { id: row.storeId },
    select: { id: true, shop: true, status: true, reconcileEveryHours: true },
  });
  if (!store || store.status !== "active") return;
  const runAt = new Date(Date.now() + store.reconcileEveryHours * 3_600_000);
  await enqueueReconciliation(store, resource, runAt, "preserve_run_at");
}
