// The PostgreSQL backend of the job queue: graphile-worker (docs/decisions/0009-job-queue.md). Only
// app/sync/queue/queue.server.ts (the facade) imports this module; it imports the contract.
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
// - graphile-worker's connections come from a pool we make with the app's timeouts (queuePoolConfig,
//   docs/decisions/0042-queue-pool-timeouts.md), so a stalled database fails its queries instead of
//   holding the worker for ever.
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
import { db, postgresPoolConfig } from "~/db.server";
import { resolveDatabase } from "~/db/database-url";
import {
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  UnrecoverableJobError,
  queueLogger,
  reportPermanentFailure,
} from "./contract.server";
import type * as Queue from "./contract.server";
import { toError } from "~/lib/errors";

const LIVENESS_PREFIX = "shop-sync-queue:";

function connectionString(): string {
  return resolveDatabase(process.env.DATABASE_URL).url;
}

/** graphile-worker's sessions in pg_stat_activity (the liveness connections have names of their own). */
export const QUEUE_POOL_APPLICATION_NAME = "shop-sync-queue-pool";

/**
 * The pool graphile-worker runs on: the app's pool configuration — connect timeout, statement_timeout,
 * the client's query_timeout (postgresPoolConfig, docs/decisions/0028) — with a size of its own.
 * Left to itself, graphile-worker opens a pool from the connection string alone, without any timeout,
 * so a stalled database held its job fetching, its bookkeeping and a worker's start for ever.
 *
 * These timeouts leave graphile-worker's long-lived work alone: its LISTEN connection runs `LISTEN`
 * once and then sits idle, and statement_timeout and query_timeout limit statements, not idle
 * sessions; every statement it runs itself (fetching, completing and failing jobs, migrations) is
 * short. Tasks do their work on the app's own client (db.server.ts), not on this pool.
 */
export function queuePoolConfig(max = 10) {
  return { ...postgresPoolConfig(connectionString()), max, application_name: QUEUE_POOL_APPLICATION_NAME };
}

/**
 * A pool for graphile-worker, which does not end a pool it was given: the caller ends it. Errors of
 * idle and checked-out clients are logged (graphile-worker installs the same handlers on its own
 * pools; without them an error on an idle client would be thrown as an unhandled 'error' event).
 */
function openQueuePool(logger: Queue.QueueLogger, max?: number): pg.Pool {
  const pool = new pg.Pool(queuePoolConfig(max));
  const logError = (error: Error) => logger.error({ err: error }, "queue pool: PostgreSQL client error");
  pool.on("error", logError);
  pool.on("connect", (client) => client.on("error", logError));
  return pool;
}

/** Runs `work` with a pool of its own, ended afterwards. */
async function withQueuePool<T>(logger: Queue.QueueLogger, work: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = openQueuePool(logger);
  try {
    return await work(pool);
  } finally {
    await pool.end();
  }
}

/** graphile-worker logs through our logger (pino), never console (tests fail on console.error). */
function graphileLogger(logger: Queue.QueueLogger): Logger {
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
export function migrateQueue(logger: Queue.QueueLogger = queueLogger()): Promise<void> {
  migrated ??= withQueuePool(logger, (pgPool) => runMigrations({ pgPool, logger: graphileLogger(logger) })).catch(
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
  options: Queue.EnqueueOptions,
  tx?: Queue.QueueTransaction,
): Promise<Queue.EnqueuedJob> {
  await migrateQueue();
  if (options.jobKey && !tx) {
    // The keyed enqueue is two statements (below): one transaction makes it one step.
    return db.$transaction((own) => addJob(taskIdentifier, payload, options, own));
  }
  return addJob(taskIdentifier, payload, options, tx ?? db);
}

async function addJob(
  taskIdentifier: string,
  payload: unknown,
  options: Queue.EnqueueOptions,
  client: Pick<Queue.QueueTransaction, "$queryRaw">,
): Promise<Queue.EnqueuedJob> {
  // graphile-worker's add_job resets a replaced job's attempts and run_at ("always reset error/retry
  // state"), so under steady traffic on one key a failing job would retry at once, every time, and
  // burn its attempts in seconds. A waiting job that is backing off keeps its attempts and its retry
  // time (and gets at least one more attempt): read them first (the row lock orders concurrent
  // enqueues of the key), then put them back with graphile-worker's own reschedule_jobs.
  const backingOff = options.jobKey
    ? (
        await client.$queryRaw<Array<{ attempts: number; runAt: Date }>>`
          SELECT attempts, run_at AS "runAt" FROM graphile_worker._private_jobs
          WHERE key = ${options.jobKey} AND locked_at IS NULL AND attempts > 0 AND attempts < max_attempts
          FOR UPDATE`
      )[0]
    : undefined;
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
  if (backingOff) {
    const runAt = new Date(Math.max(backingOff.runAt.getTime(), options.runAt?.getTime() ?? 0));
    await client.$queryRaw`
      SELECT id FROM graphile_worker.reschedule_jobs(
        ARRAY[${row.id}::bigint], run_at => ${runAt}::timestamptz, attempts => ${backingOff.attempts}::int,
        max_attempts => greatest(${options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS}::int, ${backingOff.attempts + 1}::int))`;
  }
  return { id: row.id };
}

function toJobInfo(job: GraphileJob): Queue.JobInfo {
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

/** Our tasks as graphile-worker tasks; `ran` counts finished attempts, `running` running ones. */
function wrapTasks(options: Queue.RunOptions, counter: { ran: number; running?: number }): GraphileTaskList {
  const baseLogger = options.logger ?? queueLogger();
  const list: GraphileTaskList = {};
  for (const [identifier, task] of Object.entries(options.tasks)) {
    list[identifier] = async (payload: unknown, helpers: JobHelpers) => {
      const job = { ...toJobInfo(helpers.job), queueName: await helpers.getQueueName() };
      if (counter.running !== undefined) counter.running += 1;
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
        if (counter.running !== undefined) counter.running -= 1;
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
  // The app's timeouts here too: its connect timeout is what keeps a stalled database from holding
  // startWorker (which waits for this connection) for ever. It runs no statement.
  const { max: _max, ...timeouts } = postgresPoolConfig(connectionString());
  const client = new pg.Client({
    ...timeouts,
    application_name: `${LIVENESS_PREFIX}${poolId}`.slice(0, 63),
    keepAlive: true,
  });
  client.on("error", onLost);
  client.on("end", () => onLost(new Error("liveness connection closed")));
  await client.connect();
  return client;
}

function trackPools(logger: Queue.QueueLogger, onLost: (error: Error) => void) {
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
    /** Settles once every pool's liveness connection is open (or its failure reported). */
    async opened() {
      await Promise.all(clients);
    },
    async close() {
      closing = true;
      for (const client of await Promise.all(clients)) await client?.end().catch(() => undefined);
    },
  };
}

/** Releases jobs locked by pools whose liveness connection is gone (their process crashed). */
async function sweep(utils: WorkerUtils, lockTimeoutMs: number, logger: Queue.QueueLogger): Promise<void> {
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

export async function startWorker(options: Queue.WorkerOptions): Promise<Queue.QueueWorker> {
  const logger = options.logger ?? queueLogger();
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const concurrency = Math.max(1, options.concurrency ?? 1);
  await migrateQueue(logger);
  // One pool for the worker's utilities and its runner: one client per running job, plus
  // graphile-worker's LISTEN and bookkeeping.
  const pgPool = openQueuePool(logger, Math.max(10, concurrency + 2));
  let utils: WorkerUtils;
  try {
    utils = await makeWorkerUtils({ pgPool, logger: graphileLogger(logger) });
    await sweep(utils, lockTimeoutMs, logger);
  } catch (error) {
    await pgPool.end();
    throw error;
  }

  const gracefulShutdownMs = options.gracefulShutdownMs ?? 20_000;
  const counter = { ran: 0, running: 0 };
  // Why the worker stopped on its own, if it did: `stopped` rejects with it.
  let failure: Error | undefined;
  let stop: () => Promise<Queue.StopOutcome> = async () => ({ stillRunning: 0 });
  const fail = (error: Error) => {
    failure ??= error;
    void stop();
  };
  const pools = trackPools(logger, (error) => {
    // Without its liveness connection this pool's jobs look abandoned to other workers: stop, so
    // that no job runs twice at once. The worker cannot work any more: `stopped` rejects, so the
    // process exits non-zero or its supervisor starts a new worker.
    logger.error({ err: error }, "worker lost its liveness connection; stopping");
    fail(new Error(`worker lost its liveness connection to the database: ${error.message}`, { cause: error }));
  });
  const runner = await run({
    pgPool,
    concurrency,
    pollInterval: options.pollIntervalMs ?? 1_000,
    taskList: wrapTasks(options, counter),
    noHandleSignals: true,
    crontab: "", // no recurring jobs here (yet): do not look for a crontab file
    preset: {
      worker: {
        // Unbatched, graphile-worker 0.18 does not await a finished job's completion before a
        // graceful shutdown releases its connections, so a job that finished during stop() stayed
        // locked and ran again. Batched (delay 0: no added latency), shutdown flushes the batch first.
        completeJobBatchDelay: 0,
        failJobBatchDelay: 0,
        // Running jobs' abortSignal fires when our grace period ends.
        gracefulShutdownAbortTimeout: gracefulShutdownMs,
      },
    },
    logger: graphileLogger(logger),
    events: pools.events,
  }).catch(async (error: unknown) => {
    // Nothing started: release what this start opened.
    await pools.close();
    await utils.release();
    await pgPool.end();
    throw error;
  });
  runner.promise.then(
    () => void stop(),
    (error: unknown) => fail(toError(error)),
  );
  // Ready only once the liveness connection is open: before that, another process's sweeper would
  // take this pool's locks as abandoned, and a lost connection would go unnoticed (the pool would
  // work on without the connection that proves it lives).
  await pools.opened();
  const sweeper = setInterval(
    () => void sweep(utils, lockTimeoutMs, logger).catch((e) => logger.warn({ err: e }, "sweep failed")),
    options.sweepIntervalMs ?? lockTimeoutMs / 2,
  );

  let resolveStopped!: () => void;
  let rejectStopped!: (error: Error) => void;
  const whenStopped = new Promise<void>((resolve, reject) => {
    resolveStopped = resolve;
    rejectStopped = reject;
  });
  whenStopped.catch(() => undefined); // a failure is observed through `stopped`, not unhandled here
  let stopped: Promise<Queue.StopOutcome> | undefined;
  stop = () => {
    stopped ??= (async () => {
      clearInterval(sweeper);
      let timer: NodeJS.Timeout | undefined;
      // graphile-worker's graceful stop waits for running jobs however long they take, holding their
      // locks. (Its forceful kill() would fail them, so another worker would run them while this
      // process still does: never that.)
      const graceful = runner.stop().catch((error: unknown) => logger.warn({ err: error }, "worker stop failed"));
      const release = async () => {
        await pools.close();
        await utils.release();
        await pgPool.end();
      };
      const finished = await Promise.race([
        graceful.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), gracefulShutdownMs))),
      ]);
      clearTimeout(timer);
      const stillRunning = counter.running;
      if (finished) {
        await release();
      } else {
        // Jobs still running keep their locks and this pool its liveness connection while this
        // process runs them; if the process exits first, the sweepers of other workers release them.
        logger.warn({ stillRunning }, "jobs still running after the shutdown grace period keep their locks");
        void graceful.then(release);
      }
      logger.info("worker stopped");
      if (failure) rejectStopped(failure);
      else resolveStopped();
      return { stillRunning };
    })();
    return stopped;
  };
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  if (options.signal?.aborted) void stop();
  logger.info({ concurrency, tasks: Object.keys(options.tasks) }, "worker started");

  return {
    stop: () => stop(),
    get stopped() {
      return whenStopped;
    },
  };
}

export async function runUntilIdle(options: Queue.RunOptions): Promise<number> {
  const logger = options.logger ?? queueLogger();
  const counter = { ran: 0 };
  const pools = trackPools(logger, () => undefined);
  const pgPool = openQueuePool(logger);
  try {
    // graphile-worker's runOnce stops at the first moment it finds nothing to take, and a job whose
    // queue was locked by the job just finished can be left behind (the unlock is committed a moment
    // later). Pass again until two passes in a row run nothing.
    let idlePasses = 0;
    while (idlePasses < 2) {
      const before = counter.ran;
      await runOnce(
        {
          pgPool,
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
    await pgPool.end();
  }
  return counter.ran;
}

export async function queueDepth(): Promise<Queue.QueueDepth> {
  await migrateQueue();
  const rows = await db.$queryRaw<Array<Record<keyof Queue.QueueDepth, number>>>`
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
