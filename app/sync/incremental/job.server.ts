// What the incremental and reconcile tasks share: their payload, the store they run for, the
// ShopifySyncJob row of the run, and how a failure is reported to the queue.
import type { ShopifySyncJob } from "@prisma/client";
import { z } from "zod";
import { AdminApiError, type AdminGraphqlClient } from "~/admin-api/client.server";
import { db } from "~/db.server";
import { errorMessage } from "~/lib/errors";
import {
  failSyncJob,
  findOrCreateUnfinishedSyncJob,
  SYNC_RESOURCES,
  type SyncKind,
  type SyncResource,
} from "~/sync/jobs.server";
import { UnrecoverableJobError, type JobInfo } from "~/sync/queue/queue.server";
import type { SyncStore } from "./incremental.server";

const resource = z.enum(SYNC_RESOURCES as [SyncResource, ...SyncResource[]]);
const trigger = z.enum(["install", "manual", "schedule", "webhook", "cli"]);

/**
 * `{ storeId, resource }` (scheduled runs, the brief's shape), or `{ syncJobId }` for a run whose row
 * app/sync/triggers.server.ts created already.
 */
export const syncTaskPayload = z.union([
  z.object({ syncJobId: z.string().min(1) }),
  z.object({ storeId: z.number().int().positive(), resource, trigger: trigger.optional() }),
]);
export type SyncTaskPayload = z.infer<typeof syncTaskPayload>;

export interface SyncRun {
  row: ShopifySyncJob;
  resource: SyncResource;
  store: SyncStore & { status: string; reconcileEveryHours: number };
}

const storeSelect = {
  id: true,
  shop: true,
  status: true,
  grantedScopes: true,
  orderHistoryDays: true,
  reconcileEveryHours: true,
} as const;

/** The run's row (found, or created for a `{ storeId, resource }` payload) and its store; null if gone. */
export async function resolveRun(payload: SyncTaskPayload, kind: SyncKind): Promise<SyncRun | null> {
  if ("syncJobId" in payload) {
    const row = await db.shopifySyncJob.findUnique({
      where: { id: payload.syncJobId },
      include: { store: { select: storeSelect } },
    });
    // Gone, or cancelled (app/sync/jobs.server.ts cancelSyncJob) or finished meanwhile.
    if (!row || !["queued", "running"].includes(row.status)) return null;
    const { store, ...rest } = row;
    return { row: rest, resource: resource.parse(rest.resource), store };
  }
  const store = await db.shopifyStore.findUnique({ where: { id: payload.storeId }, select: storeSelect });
  if (!store) return null; // shop/redact removed it
  // A retry of this job finds the row its earlier attempt created.
  const row = await findOrCreateUnfinishedSyncJob({
    storeId: store.id,
    kind,
    resource: payload.resource,
    trigger: payload.trigger ?? "schedule",
  });
  return { row, resource: payload.resource, store };
}

/**
 * resolveRun, for a store that is still installed: a run of an uninstalled store fails its row and
 * does nothing (null), like a run whose row or store is gone.
 */
export async function resolveActiveRun(payload: SyncTaskPayload, kind: SyncKind): Promise<SyncRun | null> {
  const run = await resolveRun(payload, kind);
  if (!run) return null;
  if (run.store.status !== "active") {
    await failSyncJob(run.row.id, new Error(`store ${run.store.shop} is not installed`));
    return null;
  }
  return run;
}

/** What the incremental pass and reconciliation of a run are given: its store, resource, row and Admin client. */
export function runOptions(
  run: SyncRun,
  helpers: { adminFor(shop: string): AdminGraphqlClient; abortSignal: AbortSignal },
) {
  return {
    store: run.store,
    resource: run.resource,
    client: helpers.adminFor(run.store.shop),
    syncJobId: run.row.id,
    signal: helpers.abortSignal,
  };
}

/** An error retrying cannot fix: a refused query, a response that does not parse, no session. */
export function isPermanentFailure(error: unknown): boolean {
  return (error instanceof AdminApiError && !error.retryable) || error instanceof z.ZodError;
}

/** Whether the queue runs this job again after `error` (failRun's rule). */
export function willBeRetried(job: JobInfo, error: unknown): boolean {
  return !isPermanentFailure(error) && job.attempts < job.maxAttempts;
}

/**
 * Reports a failed attempt: errors that retrying cannot fix (a refused query, a response that does
 * not parse, no session) fail the row and the job at once; others leave the row running for the
 * queue's next attempt, and fail it on the last one.
 */
export async function failRun(run: SyncRun, job: JobInfo, error: unknown): Promise<never> {
  const permanent = isPermanentFailure(error);
  if (permanent || job.attempts >= job.maxAttempts) await failSyncJob(run.row.id, error);
  if (permanent) {
    throw new UnrecoverableJobError(errorMessage(error), { cause: error });
  }
  throw error;
}
