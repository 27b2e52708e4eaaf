// The durable job queue: the one module the rest of the app uses to enqueue and run jobs
// (docs/decisions/0009-job-queue.md). Its vocabulary is graphile-worker's: a job runs a task named by
// its task identifier, with a JSON payload, in an optional queue (jobs of one queue run one at a time:
// one queue per shop), under an optional job key (at most one waiting job per key: a burst of
// enqueues for one resource collapses into one job with the latest payload), for up to maxAttempts
// attempts.
//
// Two backends behind the same semantics, chosen by DATABASE_URL like the database itself:
// - SQLite (the embedded default): the `job_queue` table in our own Prisma schema, claimed with one
//   atomic UPDATE … RETURNING (sqlite.server.ts);
// - PostgreSQL: graphile-worker (postgres.server.ts), whose schema it migrates itself.
// Nothing outside app/sync/queue/ imports either backend or graphile-worker. The types and rules the
// backends share are contract.server.ts (re-exported here); the backends never import this facade.
import { databaseProvider } from "~/db.server";
import {
  validateEnqueue,
  type EnqueuedJob,
  type EnqueueOptions,
  type QueueDepth,
  type QueueTransaction,
  type QueueWorker,
  type RunOptions,
  type WorkerOptions,
} from "./contract.server";
import { wake as sqliteWake } from "./wake.server";

export * from "./contract.server";
export { toError } from "~/lib/errors";

async function backend() {
  return databaseProvider() === "postgresql" ? await import("./postgres.server") : await import("./sqlite.server");
}

/**
 * Adds a job. Pass `tx` (a Prisma interactive-transaction client) to enqueue in the same transaction
 * as your own write: the job exists exactly when the write commits.
 */
export async function enqueue(
  taskIdentifier: string,
  payload: unknown,
  options: EnqueueOptions = {},
  tx?: QueueTransaction,
): Promise<EnqueuedJob> {
  validateEnqueue(taskIdentifier, options);
  return (await backend()).enqueue(taskIdentifier, payload, options, tx);
}

/**
 * Wakes this process's idle workers after a transaction that enqueued jobs committed (a job enqueued
 * inside a transaction cannot wake them itself: it does not exist until the commit) — now, or at `at`
 * for a job that runs later. Without it they find the job at their next poll. PostgreSQL needs
 * nothing: graphile-worker's NOTIFY fires at commit.
 */
export function wakeWorkers(at?: Date): void {
  if (databaseProvider() === "sqlite") sqliteWake(at);
}

/** Starts a worker in this process. Several workers (processes, machines) may share one database. */
export async function startWorker(options: WorkerOptions): Promise<QueueWorker> {
  return (await backend()).startWorker(options);
}

/**
 * Runs every job that is ready now, one at a time, in this process, and returns how many ran (tests,
 * scripts). Jobs whose retry is scheduled later are left for later.
 */
export async function runUntilIdle(options: RunOptions): Promise<number> {
  return (await backend()).runUntilIdle(options);
}

/** Job counts for metrics and the health page. */
export async function queueDepth(): Promise<QueueDepth> {
  return (await backend()).queueDepth();
}

/**
 * How long the oldest job that is ready to run has been waiting for a worker (seconds since its runAt;
 * 0 when none waits). Depth alone cannot tell a busy queue from a stuck one: this can.
 */
export async function oldestReadyJobAgeSeconds(now = new Date()): Promise<number> {
  return (await backend()).oldestReadyJobAgeSeconds(now);
}

/**
 * Installs or upgrades the queue's own schema: graphile-worker's migrations on PostgreSQL; nothing on
 * SQLite (the job_queue table is a Prisma migration). Idempotent; the worker and the first enqueue
 * call it too.
 */
export async function migrateQueue(): Promise<void> {
  await (await backend()).migrateQueue();
}
