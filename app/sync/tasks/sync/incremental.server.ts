// Task "sync/incremental": what changed in one resource of a store since its cursor
// (app/sync/incremental/incremental.server.ts), recorded as a ShopifySyncJob row (kind incremental).
// Payload `{ storeId, resource }` or `{ syncJobId }`; queue `shop:<shop>`; job key
// `sync/incremental:<storeId>:<resource>`.
import { adminClientFor } from "~/admin-api/for-shop.server";
import { runIncrementalSync } from "~/sync/incremental/incremental.server";
import { failRun, resolveRun, syncTaskPayload } from "~/sync/incremental/job.server";
import { failSyncJob, finishSyncJob, startSyncJob } from "~/sync/jobs.server";
import type { Task } from "~/sync/queue.server";

export const INCREMENTAL_SYNC_TASK = "sync/incremental";

export const incrementalSync: Task = async (rawPayload, { job, abortSignal, logger }) => {
  const payload = syncTaskPayload.parse(rawPayload);
  const run = await resolveRun(payload, "incremental");
  if (!run) return;
  if (run.store.status !== "active") {
    await failSyncJob(run.row.id, new Error(`store ${run.store.shop} is not installed`));
    return;
  }
  await startSyncJob(run.row.id);
  try {
    const result = await runIncrementalSync({
      store: run.store,
      resource: run.resource,
      client: adminClientFor(run.store.shop),
      syncJobId: run.row.id,
      signal: abortSignal,
    });
    await finishSyncJob(run.row.id);
    logger.info({ shop: run.store.shop, resource: run.row.resource, ...result }, "sync:incremental");
  } catch (error) {
    await failRun(run, job, error);
  }
};
