// The PostgreSQL backend of the job queue: graphile-worker (docs/decisions/0009-job-queue.md). Only
// app/sync/queue.server.ts imports this module.
//
// - Enqueue calls graphile-worker's own SQL function `graphile_worker.add_job(…)` through Prisma, on
//   the caller's transaction when one is given: the job commits or rolls back with the caller's write.
// - Workers are graphile-worker's `run()`; our task wrapper maps UnrecoverableJobError and the
//   onPermanentFailure hook onto it.
// - Crash recovery: graphile-worker releases a lock only after 4 hours. Each of our worker pools holds
//   a "liveness" connection named after its pool id; the sweeper releases the jobs of pools whose
//   connection is gone (the process died, so PostgreSQL closed its sessions) with graphile-worker's
//   forceUnlockWorkers. A pool that loses its liveness connection stops, so a live pool's jobs are
//   never taken over.
import { EventEmitter } from "node:events";
import {
  Logger,
  makeWorkerUtils,
  run,
  runMigrations,
  runOnce,
  type JobHelpers,
  type LogLevel,
  type Job as GraphileJob,
  type TaskList as GraphileTaskList,
  type WorkerEvents,
  type WorkerUtils,
} from "graphile-worker";
import pg from "pg";
import { db } from "~/db.server";
import { resolveDatabase } from "~/db/database-url";
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  UnrecoverableJobError,
  queueLogger,
  reportPermanentFailure,
  toError,
  type EnqueueOptions,
  type EnqueuedJob,
  type JobInfo,
  type QueueDepth,
  type QueueLogger,
  type QueueTransaction,
  type QueueWorker,
  type RunOptions,
  type WorkerOptions,
} from "./queue.server";

const LIVENESS_PREFIX = "shop-sync-queue:";

function connectionString(): string {
  return resolveDatabase(process.env.DATABASE_URL).url;
}

/** graphile-worker logs through our logger (pino), never console (tests fail on console.error). */
function graphileLogger(logger: QueueLogger): Logger {
  const levels: Record<LogLevel, "error" | "warn" | "info" | "debug"> = {
    error: "error",
    warning: "warn",
    info: "info",
    debug: "debug",
  };
  return new Logger((scope) => (level, message, meta) => {
    // graphile-worker logs every failed attempt at error level; the queue reports them itself
    // (job:error / job:failed), so they are debug here.
    const mapped = meta && "failure" in meta ? "debug" : levels[level];
    logger[mapped]({ scope, ...(meta && "error" in meta ? { err: meta.error } : {}) }, message);
  });
}

let migrated: Promise<void> | undefined;
export function migrateQueue(logger: QueueLogger = queueLogger()): Promise<void> {
  migrated ??= runMigrations({ connectionString: connectionString(), logger: graphileLogger(logger) }).catch(
    (error: unknown) => {
      migrated = undefined;
      throw error;
    },
  );
  return migrated;
}

export async function enqueue(
  taskIdentifier: string,
  payload: unknown,
  options: EnqueueOptions,
  tx?: QueueTransaction,
): Promise<EnqueuedJob> {
  await migrateQueue();
  const client = tx ?? db;
  const rows = await client.$queryRaw<Array<{ id: string }>>`
    SELECT (graphile_worker.add_job(
      identifier => ${taskIdentifier},
      payload => ${JSON.stringify(payload ?? {})}::json,
      queue_name => ${options.queueName ?? null}::text,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text,
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${options.jobKeyMode ?? "replace"}::text
    )).id::text AS id`;
  const row = rows[0];
  if (!row) throw new Error(`enqueue(${taskIdentifier}): add_job returned no row`);
  return { id: row.id };
}

function toJobInfo(job: GraphileJob): JobInfo {
  return {
    id: String(job.id),
    taskIdentifier: job.task_identifier,
    // Filled in by the wrapper (graphile-worker resolves queue names lazily).
    queueName: null,
    jobKey: job.key,
    attempts: job.attempts,
    maxAttempts: job.max_attempts,
    runAt: new Date(job.run_at),
    lastError: job.last_error,
    payload: job.payload,
  };
}

/** Our tasks as graphile-worker tasks; `ran` counts finished attempts. */
function wrapTasks(options: RunOptions, counter: { ran: number }): GraphileTaskList {
  const baseLogger = options.logger ?? queueLogger();
  const list: GraphileTaskList = {};
  for (const [identifier, task] of Object.entries(options.tasks)) {
    list[identifier] = async (payload: unknown, helpers: JobHelpers) => {
      const job = { ...toJobInfo(helpers.job), queueName: await helpers.getQueueName() };
      const logger = baseLogger.child({ jobId: job.id, task: identifier });
      try {
        await task(payload, { job, logger, abortSignal: helpers.abortSignal });
        logger.debug({ attempts: job.attempts }, "job:success");
      } catch (raw) {
        const error = toError(raw);
        if (error instanceof UnrecoverableJobError) {
          // graphile-worker has no way to fail a running job for good: a thrown error is retried
          // until max_attempts. So the job is dead-lettered through the hook and then completes
          // (graphile-worker deletes it). If the hook fails, the error is thrown: retried, not lost.
          if (await reportPermanentFailure(options.onPermanentFailure, job, error, logger)) return;
          throw error;
        }
        if (job.attempts >= job.maxAttempts) {
          await reportPermanentFailure(options.onPermanentFailure, job, error, logger);
        } else {
          logger.info({ attempts: job.attempts, err: error }, "job:error, will retry");
        }
        throw error;
      } finally {
        counter.ran += 1;
      }
    };
  }
  return list;
}

/**
 * Holds one connection named after the pool while the pool lives; the sweeper takes a missing
 * connection as proof that the pool's process is gone.
 */
async function openLiveness(poolId: string, onLost: (error: Error) => void): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: connectionString(),
    application_name: `${LIVENESS_PREFIX}${poolId}`.slice(0, 63),
    keepAlive: true,
  });
  client.on("error", onLost);
  client.on("end", () => onLost(new Error("liveness connection closed")));
  await client.connect();
  return client;
}

function trackPools(logger: QueueLogger, onLost: (error: Error) => void) {
  const events: WorkerEvents = new EventEmitter() as WorkerEvents;
  const clients: Array<Promise<pg.Client | undefined>> = [];
  let closing = false;
  events.on("pool:create", ({ workerPool }) => {
    clients.push(
      openLiveness(workerPool.id, (error) => {
        if (!closing) onLost(error);
      }).catch((error: unknown) => {
        logger.error({ err: error }, "could not open the worker's liveness connection");
        onLost(toError(error));
        return undefined;
      }),
    );
  });
  return {
    events,
    async close() {
      closing = true;
      for (const client of await Promise.all(clients)) await client?.end().catch(() => undefined);
    },
  };
}

/** Releases jobs locked by pools whose liveness connection is gone (their process crashed). */
async function sweep(utils: WorkerUtils, lockTimeoutMs: number, logger: QueueLogger): Promise<void> {
  const dead = await db.$queryRaw<Array<{ lockedBy: string }>>`
    SELECT DISTINCT j.locked_by AS "lockedBy"
    FROM graphile_worker.jobs j
    WHERE j.locked_by IS NOT NULL
      AND j.locked_at < now() - ${lockTimeoutMs}::int * interval '1 millisecond'
      AND NOT EXISTS (
        SELECT 1 FROM pg_stat_activity a WHERE a.application_name = left(${LIVENESS_PREFIX} || j.locked_by, 63))`;
  if (dead.length === 0) return;
  const workerIds = dead.map((row) => row.lockedBy);
  await utils.forceUnlockWorkers(workerIds);
  logger.warn({ workerIds }, "released jobs locked by workers that stopped");
}

export async function startWorker(options: WorkerOptions): Promise<QueueWorker> {
  const logger = options.logger ?? queueLogger();
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  await migrateQueue(logger);
  const utils = await makeWorkerUtils({ connectionString: connectionString(), logger: graphileLogger(logger) });
  await sweep(utils, lockTimeoutMs, logger);

  let stop: () => Promise<void> = async () => {};
  const pools = trackPools(logger, (error) => {
    // Without its liveness connection this pool's jobs look abandoned to other workers: stop, so
    // that no job runs twice at once.
    logger.error({ err: error }, "worker lost its liveness connection; stopping");
    void stop();
  });
  const runner = await run({
    connectionString: connectionString(),
    concurrency,
    // Pool: one client per running job, plus graphile-worker's LISTEN and bookkeeping.
    maxPoolSize: Math.max(10, concurrency + 2),
    pollInterval: options.pollIntervalMs ?? 1_000,
    taskList: wrapTasks(options, { ran: 0 }),
    noHandleSignals: true,
    crontab: "", // no recurring jobs here (yet): do not look for a crontab file
    // Unbatched, graphile-worker 0.18 does not await a finished job's completion before a graceful
    // shutdown releases its connections, so a job that finished during stop() stayed locked and ran
    // again. Batched (delay 0: no added latency), shutdown flushes the batch first.
    preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
    logger: graphileLogger(logger),
    events: pools.events,
  });
  const sweeper = setInterval(
    () => void sweep(utils, lockTimeoutMs, logger).catch((e) => logger.warn({ err: e }, "sweep failed")),
    options.sweepIntervalMs ?? lockTimeoutMs / 2,
  );

  let stopped: Promise<void> | undefined;
  stop = () => {
    stopped ??= (async () => {
      clearInterval(sweeper);
      let timer: NodeJS.Timeout | undefined;
      const graceful = runner.stop();
      const finished = await Promise.race([
        graceful.then(() => true),
        new Promise<false>(
          (resolve) => (timer = setTimeout(() => resolve(false), options.gracefulShutdownMs ?? 20_000)),
        ),
      ]);
      clearTimeout(timer);
      if (!finished) {
        // graphile-worker fails the jobs still running, so they are retried (by another worker).
        await runner.kill("graceful shutdown timed out");
      }
      await pools.close();
      await utils.release();
      logger.info("worker stopped");
    })();
    return stopped;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  if (options.signal?.aborted) void stop();
  logger.info({ concurrency, tasks: Object.keys(options.tasks) }, "worker started");

  return {
    stop: () => stop(),
    get stopped() {
      return stopped ?? runner.promise.then(() => stop());
    },
  };
}

export async function runUntilIdle(options: RunOptions): Promise<number> {
  const logger = options.logger ?? queueLogger();
  const counter = { ran: 0 };
  const pools = trackPools(logger, () => undefined);
  try {
    // graphile-worker's runOnce stops at the first moment it finds nothing to take, and a job whose
    // queue was locked by the job just finished can be left behind (the unlock is committed a moment
    // later). Pass again until two passes in a row run nothing.
    let idlePasses = 0;
    while (idlePasses < 2) {
      const before = counter.ran;
      await runOnce(
        {
          connectionString: connectionString(),
          taskList: wrapTasks(options, counter),
          noHandleSignals: true,
          preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } }, // see startWorker
          logger: graphileLogger(logger),
          events: pools.events,
        },
        undefined,
      );
      idlePasses = counter.ran === before ? idlePasses + 1 : 0;
    }
  } finally {
    await pools.close();
  }
  return counter.ran;
}

export async function queueDepth(): Promise<QueueDepth> {
  await migrateQueue();
  const rows = await db.$queryRaw<Array<Record<keyof QueueDepth, number>>>`
    SELECT
      count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= now())::int AS ready,
      count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at > now())::int AS scheduled,
      count(*) FILTER (WHERE locked_at IS NOT NULL)::int AS running,
      count(*) FILTER (WHERE locked_at IS NULL AND attempts >= max_attempts)::int AS failed
    FROM graphile_worker.jobs`;
  const row = rows[0];
  return {
    ready: row?.ready ?? 0,
    scheduled: row?.scheduled ?? 0,
    running: row?.running ?? 0,
    failed: row?.failed ?? 0,
  };
}

export async function oldestReadyJobAgeSeconds(now: Date): Promise<number> {
  await migrateQueue();
  const rows = await db.$queryRaw<Array<{ oldest: Date | null }>>`
    SELECT min(run_at) AS oldest FROM graphile_worker.jobs
    WHERE locked_at IS NULL AND attempts < max_attempts AND run_at <= ${now}`;
  const oldest = rows[0]?.oldest;
  return oldest ? Math.max(0, (now.getTime() - new Date(oldest).getTime()) / 1000) : 0;
}
