// The queue's contract: what a task, an enqueuer and a backend agree on (types, defaults, the
// unrecoverable error, the per-shop queue name and the job-key format). Both backends and the facade
// (queue.server.ts) import this module; no backend imports the facade that loads it.
import { type Prisma } from "@prisma/client";
import type pino from "pino";
import { cappedBackoffMs } from "~/lib/backoff";
import { logger as appLogger } from "~/observability/logger.server";

export type QueueLogger = pino.Logger;

/** What a task knows about the job it runs. */
export interface JobInfo {
  id: string;
  taskIdentifier: string;
  queueName: string | null;
  jobKey: string | null;
  /** This attempt's number, starting at 1. */
  attempts: number;
  maxAttempts: number;
  runAt: Date;
  /** The previous attempt's error, if any. */
  lastError: string | null;
  /** The job's payload, unparsed (a permanent-failure hook needs it to know what failed). */
  payload: unknown;
}

export interface TaskHelpers {
  job: JobInfo;
  /** Scoped to the job (jobId, task). */
  logger: QueueLogger;
  /** Aborted when the worker shuts down and the job did not finish in time; stop at a checkpoint. */
  abortSignal: AbortSignal;
}

/**
 * A task executor. Payloads arrive as `unknown`: jobs outlive deploys, so a task parses its payload
 * (zod) before anything else (docs/shared style, point 8).
 */
export type Task = (payload: unknown, helpers: TaskHelpers) => Promise<void>;
export type TaskList = Record<string, Task>;

/**
 * Thrown by a task for a failure that retrying cannot fix (validation error, shop uninstalled, missing
 * session): the job fails at once, without retries, and onPermanentFailure is called.
 * Any other error is retried with capped exponential backoff until maxAttempts.
 */
export class UnrecoverableJobError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "UnrecoverableJobError";
  }
}

/** Called once when a job fails for good (attempts exhausted or UnrecoverableJobError): dead-letter here. */
export type PermanentFailureHook = (job: JobInfo, error: Error) => Promise<void> | void;

export type JobKeyMode = "replace" | "preserve_run_at";

export interface EnqueueOptions {
  /**
   * Jobs of one queue run one at a time, in order (priority, runAt, id). Use one queue per shop
   * (`shop:acme.myshopify.com`); graphile-worker advises against very high-cardinality names.
   */
  queueName?: string;
  /**
   * At most one waiting job per key. Enqueueing an existing key replaces that job's task, payload,
   * runAt (unless jobKeyMode is "preserve_run_at"), priority and maxAttempts. A job waiting for a
   * retry keeps its attempts and is not run before its retry time (backoff holds however often the
   * key is enqueued); it gets at least one more attempt for the new payload.
   * If the keyed job is already running, a new job is added and runs after it (same queue), and the
   * running one will not be retried. Requires queueName, so that "after it" holds on both backends.
   */
  jobKey?: string;
  jobKeyMode?: JobKeyMode;
  /** Not before this time (default: now). */
  runAt?: Date;
  /** Default 25 (graphile-worker's default). */
  maxAttempts?: number;
  /** Smaller runs first (default 0). */
  priority?: number;
  /** For observability on SQLite (the job_queue.shop column); PostgreSQL has the queue name only. */
  shop?: string;
}

export interface EnqueuedJob {
  id: string;
}

/** A Prisma interactive-transaction client: pass it to enqueue in the same transaction as your write. */
export type QueueTransaction = Prisma.TransactionClient;

export interface RunOptions {
  tasks: TaskList;
  onPermanentFailure?: PermanentFailureHook;
  logger?: QueueLogger;
  /**
   * Retry delay: min(maxMs, baseMs · 2^(attempts−1)), then jittered into [50%, 100%] of that. SQLite
   * only: on PostgreSQL graphile-worker schedules retries itself (exp(min(attempts, 10)) seconds).
   */
  backoff?: { baseMs: number; maxMs: number };
  /**
   * How long a lock may go unconfirmed before the job is taken to belong to a crashed worker and is
   * released (the sweeper). SQLite: running jobs confirm their lock every lockTimeoutMs/3 (a
   * heartbeat). PostgreSQL: a lock is released once it is this old and its worker no longer holds its
   * liveness connection. Default 60 s.
   */
  lockTimeoutMs?: number;
}

export interface WorkerOptions extends RunOptions {
  /** Jobs run at once by this worker (default 1). */
  concurrency?: number;
  /** How often an idle worker looks for jobs (default 1000 ms; PostgreSQL is also woken by NOTIFY). */
  pollIntervalMs?: number;
  /** How often the sweeper looks for jobs locked by a crashed worker (default lockTimeoutMs / 2). */
  sweepIntervalMs?: number;
  /** Aborting it stops the worker gracefully, like stop(). */
  signal?: AbortSignal;
  /**
   * stop() waits this long for running jobs (default 20 s); then their abortSignal fires and stop()
   * returns. Jobs still running keep their locks while this process runs them (never released to
   * another worker meanwhile): they are recorded here if they finish, or, once the process exits,
   * released by another worker's sweeper when their lock expires.
   */
  gracefulShutdownMs?: number;
}

export interface StopOutcome {
  /** Jobs still running in this process after the grace period; exit the process to hand them over. */
  stillRunning: number;
}

export interface QueueWorker {
  /** Stops taking jobs, lets running ones finish for up to gracefulShutdownMs. */
  stop(): Promise<StopOutcome>;
  /**
   * Resolves when the worker was stopped (stop() or its signal). Rejects with the reason when the
   * worker stopped on its own because it can no longer work (PostgreSQL: it lost its connection):
   * restart it or exit non-zero.
   */
  readonly stopped: Promise<void>;
}

export interface QueueDepth {
  /** Ready to run now. */
  ready: number;
  /** Waiting for their runAt (scheduled or backing off before a retry). */
  scheduled: number;
  /** Locked by a worker. */
  running: number;
  /** Failed for good; kept for inspection. */
  failed: number;
}

export const DEFAULT_MAX_ATTEMPTS = 25;
export const DEFAULT_BACKOFF = { baseMs: 2_000, maxMs: 60 * 60_000 };
export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

let defaultLogger: QueueLogger | undefined;
export function queueLogger(): QueueLogger {
  defaultLogger ??= appLogger.child({ component: "queue" });
  return defaultLogger;
}

/**
 * Calls the permanent-failure hook. Returns false when the hook itself failed (the caller then keeps
 * the job retryable where it can, rather than lose the dead letter).
 */
export async function reportPermanentFailure(
  hook: PermanentFailureHook | undefined,
  job: JobInfo,
  error: Error,
  logger: QueueLogger,
): Promise<boolean> {
  logger.warn({ jobId: job.id, task: job.taskIdentifier, attempts: job.attempts, err: error }, "job:failed");
  if (!hook) return true;
  try {
    await hook(job, error);
    return true;
  } catch (hookError) {
    logger.error({ jobId: job.id, task: job.taskIdentifier, err: hookError }, "onPermanentFailure hook failed");
    return false;
  }
}

export function validateEnqueue(taskIdentifier: string, options: EnqueueOptions): void {
  if (!taskIdentifier) throw new Error("enqueue: a task identifier is required");
  if (options.jobKey && !options.queueName) {
    throw new Error(
      `enqueue(${taskIdentifier}): a jobKey needs a queueName, so that a job replacing a running one runs after it`,
    );
  }
  if (options.maxAttempts !== undefined && (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)) {
    throw new Error(`enqueue(${taskIdentifier}): maxAttempts must be a positive integer`);
  }
}

/** The queue of one shop: jobs of one queue run one at a time (docs/decisions/0009), so a shop's syncs and deliveries never race. */
export function shopQueue(shop: string): string {
  return `shop:${shop}`;
}

/**
 * A job key: the task identifier, then what the job is about (`sync/full:12:products`,
 * `webhooks/process:12`). At most one waiting job per key: repeated requests collapse.
 */
export function jobKey(taskIdentifier: string, ...about: ReadonlyArray<string | number>): string {
  return [taskIdentifier, ...about].join(":");
}

/**
 * Retry delay (capped exponential backoff with jitter) for the SQLite backend; exported for tests and
 * for the full sync, which waits by it before restarting a bulk operation (ADR 0044).
 */
export function retryDelayMs(attempts: number, backoff = DEFAULT_BACKOFF, random = Math.random): number {
  return cappedBackoffMs(attempts, backoff, random);
}
