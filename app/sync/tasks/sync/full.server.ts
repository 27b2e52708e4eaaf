// Task "sync/full": one step of a full sync of one resource through a bulk operation
// (app/sync/full-sync/run.server.ts). Shopify is reached through the one Admin client, for the shop's
// offline session (the registry's adminFor → unauthenticated.admin(shop)).
import { z } from "zod";
import { AdminApiError } from "~/admin-api/client.server";
import { db } from "~/db.server";
import { runFullSyncStep } from "~/sync/full-sync/run.server";
import { failSyncJob } from "~/sync/jobs.server";
import {
  enqueue,
  jobKey,
  shopQueue,
  UnrecoverableJobError,
  type EnqueuedJob,
  type JobInfo,
  type QueueTransaction,
} from "~/sync/queue/queue.server";
import type { ShopTask } from "../shop-task.server";

export const FULL_SYNC_TASK = "sync/full";

export const fullSyncPayload = z.object({ syncJobId: z.string().min(1) });
export type FullSyncPayload = z.infer<typeof fullSyncPayload>;

/**
 * Enqueues the next step of the full sync recorded by `syncJob`, in the shop's queue under one key per
 * (store, resource): a bulk_operations/finish delivery replaces a waiting step with one due now.
 */
export function enqueueFullSync(
  syncJob: { id: string; storeId: number; resource: string },
  shop: string,
  runAt?: Date,
  tx?: QueueTransaction,
): Promise<EnqueuedJob> {
  return enqueue(
    FULL_SYNC_TASK,
    { syncJobId: syncJob.id } satisfies FullSyncPayload,
    { queueName: shopQueue(shop), jobKey: jobKey(FULL_SYNC_TASK, syncJob.storeId, syncJob.resource), runAt, shop },
    tx,
  );
}

export const fullSync: ShopTask = async (rawPayload, { abortSignal, logger, adminFor }) => {
  const payload = fullSyncPayload.parse(rawPayload);
  const row = await db.shopifySyncJob.findUnique({
    where: { id: payload.syncJobId },
    select: { id: true, storeId: true, resource: true, store: { select: { shop: true } } },
  });
  if (!row) return; // the store was deleted (shop/redact): nothing to sync
  const { shop } = row.store;
  try {
    await runFullSyncStep(payload, {
      client: adminFor(shop),
      signal: abortSignal,
      logger,
      comeBackLater: (delayMs) => enqueueFullSync(row, shop, new Date(Date.now() + delayMs)).then(() => undefined),
    });
  } catch (error) {
    // Not retryable (GraphQL errors, no session, 4xx): fail now, with the reason on the job row.
    if (error instanceof AdminApiError && !error.retryable) {
      await failSyncJob(payload.syncJobId, error);
      throw new UnrecoverableJobError(error.message, { cause: error });
    }
    throw error;
  }
};

/** The queue gave up on the job (attempts exhausted or unrecoverable): the merchant sees why. */
export async function failFullSyncJob(job: JobInfo, error: Error): Promise<void> {
  const parsed = fullSyncPayload.safeParse(job.payload);
  if (!parsed.success) return;
  const row = await db.shopifySyncJob.findUnique({ where: { id: parsed.data.syncJobId }, select: { status: true } });
  if (row && ["queued", "running"].includes(row.status)) await failSyncJob(parsed.data.syncJobId, error);
}
