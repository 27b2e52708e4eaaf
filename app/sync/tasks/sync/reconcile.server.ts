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
// permanent-failure hook (reconcileGaveUp), every authentication, and repairOverdueReconciliations.
// scheduleReconciliation() starts (or repairs) the chain; with preserve_run_at it never postpones a
// run that is already scheduled.
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import {
  failRun,
  resolveRun,
  shopQueue,
  syncJobKey,
  syncTaskPayload,
  willBeRetried,
} from "~/sync/incremental/job.server";
import { failSyncJob, finishSyncJob, startSyncJob, SYNC_RESOURCES, type SyncResource } from "~/sync/jobs.server";
import { enqueue, type JobInfo, type QueueLogger, type Task } from "~/sync/queue.server";
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
 * reconcileEveryHours (now, if overdue). A resource never reconciled is due one interval after the
 * install (so a new store waits one interval, a store whose chain was lost is due now): the
 * chain starts with the install's full sync, which reads everything a reconciliation would (run at
 * once, it read the whole shop again through paged queries, ahead of the full sync's own writes in the
 * shop's queue). Idempotent.
 */
export async function scheduleReconciliation(storeId: number, now = new Date()): Promise<void> {
  const store = await db.shopifyStore.findUniqueOrThrow({
    where: { id: storeId },
    select: { id: true, shop: true, installedAt: true, reconcileEveryHours: true, syncStates: true },
  });
  for (const resource of SYNC_RESOURCES) {
    const last = store.syncStates.find((state) => state.resource === resource)?.lastReconciledAt;
    const due = new Date((last ?? store.installedAt).getTime() + store.reconcileEveryHours * 3_600_000);
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
  try {
    await startSyncJob(run.row.id);
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
  const payload = syncTaskPayload.safeParse(job.payload);
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
  await scheduleNextReconciliation(store, resource, runAt, "preserve_run_at");
}

/** Active stores read per page by the repair (bounds its memory however many stores there are). */
const REPAIR_PAGE_SIZE = 500;

/**
 * Stores whose reconciliation is a whole interval overdue (its chain was lost: a worker crashed on a
 * run's last attempt, a scheduling write failed) get their chain again. Cheap when nothing is lost:
 * a paged read of the active stores' reconciliation times. Returns the stores repaired.
 */
export async function repairOverdueReconciliations(now = new Date(), logger?: QueueLogger): Promise<number> {
  let repaired = 0;
  let afterId = 0;
  for (;;) {
    const stores = await db.shopifyStore.findMany({
      where: { status: "active", id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: REPAIR_PAGE_SIZE,
      select: {
        id: true,
        shop: true,
        installedAt: true,
        reconcileEveryHours: true,
        syncStates: { select: { resource: true, lastReconciledAt: true } },
      },
    });
    for (const store of stores) {
      const interval = store.reconcileEveryHours * 3_600_000;
      const overdue = SYNC_RESOURCES.some((resource) => {
        const last = store.syncStates.find((state) => state.resource === resource)?.lastReconciledAt;
        // The first run comes one interval after install; two intervals without one is a lost chain.
        return (last ?? store.installedAt).getTime() + 2 * interval < now.getTime();
      });
      if (!overdue) continue;
      await scheduleReconciliation(store.id, now);
      logger?.warn({ shop: store.shop }, "sync:reconciliation overdue; chain scheduled again");
      repaired++;
    }
    const last = stores.at(-1);
    if (!last || stores.length < REPAIR_PAGE_SIZE) return repaired;
    afterId = last.id;
  }
}

/** How often a worker process looks for lost reconciliation chains. */
export const REPAIR_EVERY_MS = 60 * 60_000;

/**
 * Runs repairOverdueReconciliations when a worker starts and then every REPAIR_EVERY_MS while it runs
 * (a timer of the process, not a job: it cannot be lost with the queue's state). Never keeps the
 * process alive; stops with `signal`.
 */
export function keepReconciliationChainsAlive(logger: QueueLogger, signal?: AbortSignal): void {
  const repair = () =>
    void repairOverdueReconciliations(new Date(), logger).catch((error: unknown) =>
      logger.warn({ err: error }, "sync:reconciliation repair failed; tried again later"),
    );
  repair();
  const timer = setInterval(repair, REPAIR_EVERY_MS);
  timer.unref();
  signal?.addEventListener("abort", () => clearInterval(timer), { once: true });
}
