// How far a sync job has got, in the merchant's terms: what it has written per unit (products,
// variants, orders, stock levels — not the bulk file's lines), a share done, the time left, and its
// wall time from the request to the finish with the part spent waiting for Shopify's bulk file.
// Pure (a job row and a clock in, text out) and run by the loaders, so the server's HTML and the
// browser's first render are the same text (docs/decisions/0030-live-sync-progress.md).
import type { ShopifySyncJob } from "@prisma/client";
import type { SyncUnit, SyncUnitCounts } from "~/sync/jobs.server";
import { formatCount, formatDuration } from "./format";

type ProgressRow = Pick<
  ShopifySyncJob,
  | "kind"
  | "resource"
  | "status"
  | "doneCount"
  | "totalCount"
  | "doneByUnit"
  | "fileReadyAt"
  | "createdAt"
  | "startedAt"
  | "finishedAt"
>;

const UNIT_NAMES: Record<SyncUnit, [singular: string, plural: string]> = {
  products: ["product", "products"],
  variants: ["variant", "variants"],
  orders: ["order", "orders"],
  locations: ["location", "locations"],
  stockLevels: ["stock level", "stock levels"],
};

/** The units each resource's full sync writes, in the order they are shown. */
const UNITS_OF: Record<string, SyncUnit[]> = {
  products: ["products", "variants"],
  inventory: ["locations", "stockLevels"],
  orders: ["orders"],
};

/** An incremental sync or a reconciliation counts the records it read of its resource. */
const RECORDS_OF: Record<string, [singular: string, plural: string]> = {
  products: UNIT_NAMES.products,
  inventory: UNIT_NAMES.stockLevels,
  orders: UNIT_NAMES.orders,
};

export function unitText(count: number, [singular, plural]: [string, string]): string {
  return `${formatCount(count)} ${count === 1 ? singular : plural}`;
}

function unitCounts(job: ProgressRow): SyncUnitCounts | null {
  const value = job.doneByUnit;
  if (!value || typeof value !== "object" || Array.isArray(value)) return null;
  return value as SyncUnitCounts;
}

/** "1,200 products · 4,800 variants" (full sync) or "35 orders" (incremental, reconciliation). */
export function writtenText(job: ProgressRow): string {
  const counts = unitCounts(job);
  if (job.kind === "full") {
    const units = UNITS_OF[job.resource] ?? [];
    return units.map((unit) => unitText(counts?.[unit] ?? 0, UNIT_NAMES[unit])).join(" · ");
  }
  return unitText(job.doneCount, RECORDS_OF[job.resource] ?? ["record", "records"]);
}

/** Share done, 0–100, or null when unknown (no total yet). */
export function percentDone(job: ProgressRow): number | null {
  if (job.status === "succeeded") return 100;
  if (!job.totalCount) return null;
  return Math.min(100, Math.floor((job.doneCount / job.totalCount) * 100));
}

/** Wall time from the request (the row's creation) to the finish, or to `now` while unfinished. */
export function wallTimeMs(job: ProgressRow, now: Date): number {
  return Math.max(0, (job.finishedAt ?? now).getTime() - job.createdAt.getTime());
}

/**
 * The time spent waiting for Shopify to prepare the bulk file: request → file ready, or → now while a
 * running full sync still waits. Null for syncs that read no bulk file.
 */
export function waitingMs(job: ProgressRow, now: Date): number | null {
  if (job.kind !== "full") return null;
  if (job.fileReadyAt) return Math.max(0, job.fileReadyAt.getTime() - job.createdAt.getTime());
  if (job.finishedAt) return null;
  return Math.max(0, now.getTime() - job.createdAt.getTime());
}

/**
 * The time left, from the writing rate so far: the time since the file was ready, times the lines
 * still to write over the lines written. Null until there is a rate to go by.
 */
export function timeLeftMs(job: ProgressRow, now: Date): number | null {
  if (job.status !== "running" || !job.totalCount || job.doneCount <= 0) return null;
  const writingSince = job.fileReadyAt ?? job.startedAt;
  if (!writingSince) return null;
  const elapsed = now.getTime() - writingSince.getTime();
  if (elapsed <= 0) return null;
  const remaining = Math.max(0, job.totalCount - job.doneCount);
  return Math.round((elapsed * remaining) / job.doneCount);
}

/** What the job is doing now, for a running full sync. */
function phaseText(job: ProgressRow): string | null {
  if (job.status === "queued") return "Waiting for its turn";
  if (job.status !== "running") return null;
  if (job.kind === "full" && !job.fileReadyAt) return "Shopify is preparing the bulk file";
  return "Writing";
}

export interface SyncProgressView {
  written: string;
  percent: number | null;
  phase: string | null;
  /** "about 20 s left", while there is an estimate. */
  timeLeft: string | null;
  /** Wall time, request to finish (to now while running). */
  duration: string | null;
  /** "12.3 s waiting for Shopify's file", for full syncs. */
  waiting: string | null;
}

export function syncProgressView(job: ProgressRow, now: Date): SyncProgressView {
  const left = timeLeftMs(job, now);
  const waited = waitingMs(job, now);
  return {
    written: writtenText(job),
    percent: percentDone(job),
    phase: phaseText(job),
    timeLeft: left === null ? null : `about ${formatDuration(left)} left`,
    duration: formatDuration(wallTimeMs(job, now)),
    waiting: waited === null ? null : `${formatDuration(waited)} waiting for Shopify's file`,
  };
}
