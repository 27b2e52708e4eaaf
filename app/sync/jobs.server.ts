// The sync job rows (`shopify_sync_jobs`): what the merchant, the CLI and the health page see of every
// sync — kind, resource, status, counts, cost spent, times, error — and the checkpoint a killed job
// resumes from. Shared by the full sync and the incremental sync / reconciliation; the queue's own
// job (app/sync/queue/queue.server.ts) only carries the row's id.
//
// Background module (docs/decisions/0005, addendum): every statement names the store id it was given.
import type { Prisma, ShopifySyncJob } from "@prisma/client";
import { db, dbNull, prismaErrorCode } from "~/db.server";
import { recordSyncJobFinished } from "~/observability/metrics.server";

export type SyncKind = "full" | "incremental" | "reconcile";
export type SyncResource = "products" | "inventory" | "orders";
export type SyncTrigger = "install" | "manual" | "schedule" | "webhook" | "cli";
export type SyncJobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export const SYNC_RESOURCES: readonly SyncResource[] = ["products", "inventory", "orders"];

/** What a merchant counts, as a full sync writes it (the row's doneByUnit; the Sync page shows it). */
export type SyncUnit = "products" | "variants" | "locations" | "stockLevels" | "orders";
export type SyncUnitCounts = Partial<Record<SyncUnit, number>>;

/** A Prisma client or interactive transaction: progress is written in the caller's transaction. */
type Client = Prisma.TransactionClient;

export interface NewSyncJob {
  storeId: number;
  kind: SyncKind;
  resource: SyncResource;
  trigger: SyncTrigger;
}

/**
 * Creates the row for a job that is about to be enqueued (status `queued`). A store has at most one
 * unfinished (queued or running) row per kind and resource: the database refuses a second one (a
 * partial unique index, prisma/migrations/20261203120000_one_unfinished_sync_job), and
 * isDuplicateUnfinishedSyncJob recognises that refusal.
 */
export async function createSyncJob(job: NewSyncJob, client: Client = db): Promise<ShopifySyncJob> {
  return client.shopifySyncJob.create({ data: { ...job, status: "queued" } });
}

/**
 * True for the error of a create that lost the race to another request's unfinished row for the same
 * store, kind and resource (the only unique index of shopify_sync_jobs besides its random id). On
 * PostgreSQL the failed statement also ends the transaction it ran in: retry the whole transaction.
 */
export function isDuplicateUnfinishedSyncJob(error: unknown): boolean {
  return prismaErrorCode(error) === "P2002";
}

/** The unfinished row for (store, kind, resource), created if there is none. */
export async function findOrCreateUnfinishedSyncJob(job: NewSyncJob): Promise<ShopifySyncJob> {
  for (let attempt = 1; ; attempt += 1) {
    const existing = await findUnfinishedSyncJob(job.storeId, job.kind, job.resource);
    if (existing) return existing;
    try {
      return await createSyncJob(job);
    } catch (error) {
      // Another request created it between our read and our insert: read it (a few times at most).
      if (!isDuplicateUnfinishedSyncJob(error) || attempt >= 3) throw error;
    }
  }
}

/** The job's queued or running row for (store, kind, resource), if any: a second request joins it. */
export async function findUnfinishedSyncJob(
  storeId: number,
  kind: SyncKind,
  resource: SyncResource,
  client: Client = db,
): Promise<ShopifySyncJob | null> {
  return client.shopifySyncJob.findFirst({
    where: { storeId, kind, resource, status: { in: ["queued", "running"] } },
    orderBy: { createdAt: "desc" },
  });
}

/**
 * Marks the row running. The start time is kept from the first attempt: a job resumed after a crash
 * is the same sync, not a new one.
 */
export async function startSyncJob(id: string, client: Client = db): Promise<ShopifySyncJob> {
  const row = await client.shopifySyncJob.findUniqueOrThrow({ where: { id } });
  return client.shopifySyncJob.update({
    where: { id },
    data: { status: "running", startedAt: row.startedAt ?? new Date(), error: null, finishedAt: null },
  });
}

export interface SyncProgress {
  /** Added to doneCount. `null` sets it back to 0 (a full sync that reads its file again). */
  done?: number | null;
  totalCount?: number | null;
  /** Added to costSpent. */
  cost?: number;
  /** Replaces the checkpoint (JSON). `null` clears it. */
  checkpoint?: Prisma.InputJsonValue | null;
  bulkOperationId?: string | null;
  /** Added to doneByUnit, unit by unit. `null` clears it (a full sync that reads its file again). */
  units?: SyncUnitCounts | null;
  /** When the bulk file was ready (`null` clears it, as above). */
  fileReadyAt?: Date | null;
}

/**
 * Records progress. Pass the transaction that wrote the batch, so the checkpoint moves exactly when
 * the rows it covers are committed (a crash can then neither skip nor redo a batch).
 */
export async function progressSyncJob(id: string, progress: SyncProgress, client: Client = db): Promise<void> {
  const data: Prisma.ShopifySyncJobUpdateInput = {};
  if (progress.done === null) data.doneCount = 0;
  else if (progress.done) data.doneCount = { increment: progress.done };
  if (progress.cost) data.costSpent = { increment: Math.round(progress.cost) };
  if (progress.totalCount !== undefined) data.totalCount = progress.totalCount;
  if (progress.checkpoint !== undefined) {
    // Prisma wants DbNull, not null, to clear a nullable Json column.
    data.checkpoint = progress.checkpoint === null ? dbNull() : progress.checkpoint;
  }
  if (progress.bulkOperationId !== undefined) data.bulkOperationId = progress.bulkOperationId;
  if (progress.fileReadyAt !== undefined) data.fileReadyAt = progress.fileReadyAt;
  if (progress.units === null) data.doneByUnit = dbNull();
  else if (progress.units && Object.values(progress.units).some((count) => count > 0)) {
    // Read and written in the caller's transaction (the batch's), the one writer of this job's counts.
    const row = await client.shopifySyncJob.findUniqueOrThrow({ where: { id }, select: { doneByUnit: true } });
    const counts = { ...(row.doneByUnit as SyncUnitCounts | null) };
    for (const [unit, count] of Object.entries(progress.units) as Array<[SyncUnit, number]>) {
      counts[unit] = (counts[unit] ?? 0) + count;
    }
    data.doneByUnit = counts;
  }
  if (Object.keys(data).length === 0) return;
  await client.shopifySyncJob.update({ where: { id }, data });
}

export async function finishSyncJob(id: string, client: Client = db): Promise<ShopifySyncJob> {
  const job = await client.shopifySyncJob.update({
    where: { id },
    data: { status: "succeeded", finishedAt: new Date(), error: null },
  });
  recordSyncJobFinished(job);
  return job;
}

export async function failSyncJob(id: string, error: unknown, client: Client = db): Promise<ShopifySyncJob> {
  const message = error instanceof Error ? error.message : String(error);
  const job = await client.shopifySyncJob.update({
    where: { id },
    // The message is for the merchant's sync page: a stack trace or a whole response does not belong.
    data: { status: "failed", finishedAt: new Date(), error: message.slice(0, 2_000) },
  });
  recordSyncJobFinished(job);
  return job;
}

/**
 * Cancels one of a store's queued or running sync jobs. The row is marked cancelled at once; the task
 * sees it at its next step (a full sync between its start, wait and consume steps, an incremental
 * sync when its job starts) and stops there without failing. Returns whether a job was cancelled.
 */
export async function cancelSyncJob(storeId: number, jobId: string): Promise<boolean> {
  const { count } = await db.shopifySyncJob.updateMany({
    where: { id: jobId, storeId, status: { in: ["queued", "running"] } },
    data: { status: "cancelled", finishedAt: new Date(), error: "cancelled by the merchant" },
  });
  return count > 0;
}
