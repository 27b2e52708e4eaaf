// Task "sync/incremental": what changed in one resource of a store since its cursor
// (app/sync/incremental/incremental.server.ts), recorded as a ShopifySyncJob row (kind incremental).
// Payload `{ storeId, resource }` or `{ syncJobId }`; queue `shop:<shop>`; job key
// `sync/incremental:<storeId>:<resource>`.
import { runIncrementalSync } from "~/sync/incremental/incremental.server";
import { failRun, resolveActiveRun, runOptions, syncTaskPayload } from "~/sync/incremental/job.server";
import { finishSyncJob, startSyncJob } from "~/sync/jobs.server";
import { enqueue, jobKey, shopQueue, type EnqueuedJob, type QueueTransaction } from "~/sync/queue/queue.server";
import type { ShopTask } from "../shop-task.server";

export const INCREMENTAL_SYNC_TASK = "sync/incremental";

/** `{ syncJobId }` for a run whose row app/sync/triggers.server.ts created, or `{ storeId, resource }`. */
export const incrementalSyncPayload = syncTaskPayload;

/** Enqueues the incremental sync recorded by `syncJob`; one waiting job per (store, resource). */
export function enqueueIncrementalSync(
  syncJob: { id: string; storeId: number; resource: string },
  shop: string,
  tx?: QueueTransaction,
): Promise<EnqueuedJob> {
  return enqueue(
    INCREMENTAL_SYNC_TASK,
    { syncJobId: syncJob.id },
    {
      queueName: shopQueue(shop),
      jobKey: jobKey(INCREMENTAL_SYNC_TASK, syncJob.storeId, syncJob.resource),
      shop,
    },
    tx,
  );
}

export const incrementalSync: ShopTask = async (rawPayload, { job, abortSignal, logger, adminFor }) => {
  const payload = incrementalSyncPayload.parse(rawPayload);
  const run = await resolveActiveRun(payload, "incremental");
  if (!run) return;
  await startSyncJob(run.row.id);
  try {
    const result = await runIncrementalSync(runOptions(run, { adminFor, abortSignal }));
    await finishSyncJob(run.row.id);
    logger.info({ shop: run.store.shop, resource: run.row.resource, ...result }, "sync:incremental");
  } catch (error) {
    await failRun(run, job, error);
  }
};
