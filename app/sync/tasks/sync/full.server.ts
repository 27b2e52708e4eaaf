// Task "sync/full": one step of a full sync of one resource through a bulk operation
// (app/sync/full-sync/run.server.ts). Shopify is reached through the one Admin client, for the shop's
// offline session (adminClientFor → unauthenticated.admin(shop)).
import { AdminApiError } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { FULL_SYNC_TASK, fullSyncPayload, runFullSyncStep } from "~/sync/full-sync/run.server";
import { failSyncJob } from "~/sync/jobs.server";
import { UnrecoverableJobError, type JobInfo, type Task } from "~/sync/queue.server";

export { FULL_SYNC_TASK };

export const fullSync: Task = async (rawPayload, { abortSignal, logger }) => {
  const payload = fullSyncPayload.parse(rawPayload);
  const row = await db.shopifySyncJob.findUnique({
    where: { id: payload.syncJobId },
    select: { store: { select: { shop: true } } },
  });
  if (!row) return; // the store was deleted (shop/redact): nothing to sync
  try {
    await runFullSyncStep(payload, { client: adminClientFor(row.store.shop), signal: abortSignal, logger });
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
