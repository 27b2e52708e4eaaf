// The Sync page and the sync API: jobs, where each resource's sync stands, the schedule, and starting
// or cancelling syncs (through the engine adapter in sync-actions.server.ts).
import type { ShopifySyncJob } from "@prisma/client";
import { tenantDb } from "~/db/tenant.server";
import type { Store } from "./context.server";
import { formatDateTime } from "./format";
import { percentDone, syncProgressView, waitingMs, wallTimeMs } from "./sync-progress";
import { cancelSyncJob, requestSync, type SyncRequest } from "./sync-actions.server";
import { SYNC_RESOURCES } from "./sync-options";

export const JOBS_PAGE_SIZE = 25;

/** What the API and the page both say of a job. */
function jobSummary(job: ShopifySyncJob) {
  return {
    id: job.id,
    kind: job.kind,
    resource: job.resource,
    trigger: job.trigger,
    status: job.status,
    costSpent: job.costSpent,
    error: job.error,
  };
}

/** A job as the API returns it (ISO dates, no formatting). */
export function jobResource(job: ShopifySyncJob, now = new Date()) {
  return {
    ...jobSummary(job),
    doneCount: job.doneCount,
    totalCount: job.totalCount,
    doneByUnit: job.doneByUnit ?? null,
    progress: percentDone(job),
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    fileReadyAt: job.fileReadyAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
    /** Wall time from the request to the finish (to now while unfinished). */
    durationMs: wallTimeMs(job, now),
    /** Of that, the time Shopify took to prepare the bulk file (full syncs). */
    waitingMs: waitingMs(job, now),
  };
}

/** A job as the page shows it. */
export function jobView(job: ShopifySyncJob, timeZone: string | null, now = new Date()) {
  return {
    ...jobSummary(job),
    createdAtLabel: formatDateTime(job.createdAt, timeZone),
    ...syncProgressView(job, now),
    cancellable: job.status === "queued" || job.status === "running",
  };
}

export async function runningJobView(store: Store) {
  const job = await tenantDb(store.id).shopifySyncJob.findFirst({
    where: { status: "running" },
    orderBy: { createdAt: "desc" },
  });
  return job ? jobView(job, store.ianaTimezone) : null;
}

/** Per resource: when the last full and incremental syncs finished (shopify_sync_states). */
export async function lastSyncs(store: Store) {
  const states = await tenantDb(store.id).shopifySyncState.findMany();
  const byResource = new Map(states.map((state) => [state.resource, state]));
  const resources = SYNC_RESOURCES.map((resource) => {
    const state = byResource.get(resource);
    return {
      resource,
      lastFullSyncAt: formatDateTime(state?.lastFullSyncAt, store.ianaTimezone),
      lastIncrementalAt: formatDateTime(state?.lastIncrementalAt, store.ianaTimezone),
      lastReconciledAt: formatDateTime(state?.lastReconciledAt, store.ianaTimezone),
    };
  });
  const latest = (pick: (state: (typeof states)[number]) => Date | null) =>
    states.map(pick).reduce<Date | null>((max, at) => (at && (!max || at > max) ? at : max), null);
  return {
    resources,
    lastFullSyncAt: formatDateTime(
      latest((state) => state.lastFullSyncAt),
      store.ianaTimezone,
    ),
    lastIncrementalAt: formatDateTime(
      latest((state) => state.lastIncrementalAt),
      store.ianaTimezone,
    ),
  };
}

export async function listJobs(storeId: number, page: number) {
  const data = tenantDb(storeId);
  const [jobs, total] = await Promise.all([
    data.shopifySyncJob.findMany({
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * JOBS_PAGE_SIZE,
      take: JOBS_PAGE_SIZE,
    }),
    data.shopifySyncJob.count(),
  ]);
  return { jobs, total, page, pageSize: JOBS_PAGE_SIZE, hasNext: page * JOBS_PAGE_SIZE < total };
}

/** True while one of the store's syncs is queued or running: its pages then refresh on their own. */
export async function hasUnfinishedSync(storeId: number): Promise<boolean> {
  const unfinished = await tenantDb(storeId).shopifySyncJob.count({ where: { status: { in: ["queued", "running"] } } });
  return unfinished > 0;
}

export async function syncView(store: Store, page: number) {
  const [jobs, syncs, syncing] = await Promise.all([
    listJobs(store.id, page),
    lastSyncs(store),
    hasUnfinishedSync(store.id),
  ]);
  return {
    syncing,
    jobs: jobs.jobs.map((job) => jobView(job, store.ianaTimezone)),
    pagination: { page, hasNext: jobs.hasNext, hasPrevious: page > 1, total: jobs.total },
    syncs,
    schedule: { reconcileEveryHours: store.reconcileEveryHours },
  };
}

/** Starts a sync; returns the job when the engine reports it. */
export async function startSync(store: Store, request: SyncRequest) {
  const { jobId } = await requestSync(store.id, request);
  const job = jobId ? await tenantDb(store.id).shopifySyncJob.findUnique({ where: { id: jobId } }) : null;
  return { job: job ? jobResource(job) : null };
}

/** Cancels one of the store's jobs. Another store's job id is "not found", exactly like a wrong one. */
export async function cancelSync(store: Store, jobId: string): Promise<"cancelled" | "not_found" | "finished"> {
  const job = await tenantDb(store.id).shopifySyncJob.findUnique({ where: { id: jobId } });
  if (!job) return "not_found";
  if (job.status !== "queued" && job.status !== "running") return "finished";
  await cancelSyncJob(store.id, job.id);
  return "cancelled";
}
