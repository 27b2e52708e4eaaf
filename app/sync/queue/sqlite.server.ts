// The SQLite backend of the job queue (the embedded default): the `job_queue` table of our own Prisma
// schema. Only app/sync/queue/queue.server.ts (the facade) imports this module; it imports the contract
// (contract.server.ts) and its wake-up (wake.server.ts), never the facade.
//
// Why hand-written: no maintained SQLite job queue for Node enqueues through *our* Prisma
// transaction (the webhook pipeline writes the delivery and enqueues its processing atomically),
// and the ones that exist (BullMQ needs Redis; better-queue, plainjob and liteque open their own
// connection or database file) would each bring a second writer to the one SQLite file. The table is
// small and its rules mirror graphile-worker's, which runs the PostgreSQL backend:
// - claim: one `UPDATE … WHERE id = (SELECT … LIMIT 1) RETURNING *`. SQLite runs one writer at a
//   time, so a statement is atomic against every other process and connection using the file;
// - a job whose queue has a locked job is not claimed (per-queue serialisation);
// - jobKey is unique; enqueueing it again replaces the waiting job (a job waiting for its retry keeps
//   its attempts and backoff), or, if that job is running, marks it superseded (no retry) and adds a
//   new job that waits for it;
// - the jobs a worker is running refresh lockedAt (heartbeat); the sweeper releases locks older than
//   lockTimeoutMs, which is how a job of a killed worker runs again;
// - a job's outcome write is retried; one that cannot be written stops being heartbeated, so its job
//   is released rather than held for the life of the process;
// - a failure schedules the next attempt with capped exponential backoff and jitter, or marks the job
//   failed (failedAt) and calls onPermanentFailure.
// Times are stored as ISO-8601 UTC text written here (never by column defaults), so comparing them as
// strings in SQL is comparing them as times.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import {
  DEFAULT_BACKOFF,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_MAX_ATTEMPTS,
  UnrecoverableJobError,
  queueLogger,
  reportPermanentFailure,
  retryDelayMs,
  type EnqueueOptions,
  type EnqueuedJob,
  type JobInfo,
  type QueueDepth,
  type QueueLogger,
  type QueueTransaction,
  type QueueWorker,
  type RunOptions,
  type StopOutcome,
  type WorkerOptions,
} from "./contract.server";
import { toError } from "~/lib/errors";
import { nudges, wake } from "./wake.server";

interface JobRow {
  id: number | bigint;
  taskIdentifier: string;
  payload: string;
  queueName: string | null;
  jobKey: string | null;
  supersededKey: string | null;
  attempts: number | bigint;
  maxAttempts: number | bigint;
  runAt: string | Date;
  lastError: string | null;
}

type Client = Pick<QueueTransaction, "$queryRaw" | "$executeRaw">;

const iso = (date: Date) => date.toISOString();

export async function enqueue(
  taskIdentifier: string,
  payload: unknown,
  options: EnqueueOptions,
  tx?: QueueTransaction,
): Promise<EnqueuedJob> {
  const job = tx ? await insertOrReplace(tx, taskIdentifier, payload, options) : await enqueueAlone();
  if (!tx) wake(options.runAt);
  return job;

  function enqueueAlone() {
    // A keyed enqueue is up to three statements; the transaction makes it one step for other writers.
    return options.jobKey
      ? db.$transaction((own) => insertOrReplace(own, taskIdentifier, payload, options))
      : insertOrReplace(db, taskIdentifier, payload, options);
  }
}

async function insertOrReplace(
  client: Client,
  taskIdentifier: string,
  payload: unknown,
  options: EnqueueOptions,
): Promise<EnqueuedJob> {
  const now = iso(new Date());
  const runAt = iso(options.runAt ?? new Date());
  const json = JSON.stringify(payload ?? {});
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const priority = options.priority ?? 0;
  const queueName = options.queueName ?? null;
  const shop = options.shop ?? null;

  if (options.jobKey) {
    const key = options.jobKey;
    // The waiting job with this key takes the new values. A job waiting for its retry (attempts > 0,
    // not failed) keeps its attempts, error and backoff: otherwise steady traffic on one key would
    // reset them at every enqueue, and a failing job would burn its attempts in seconds (issue #12).
    // It keeps at least one attempt for the new payload. A failed job starts again from scratch.
    const preserveRunAt = options.jobKeyMode === "preserve_run_at";
    const replaced = await client.$queryRaw<Array<{ id: number | bigint }>>`
      UPDATE job_queue SET
        taskIdentifier = ${taskIdentifier}, payload = ${json}, queueName = ${queueName}, shop = ${shop},
        priority = ${priority},
        maxAttempts = CASE WHEN failedAt IS NULL THEN max(${maxAttempts}, attempts + 1) ELSE ${maxAttempts} END,
        runAt = CASE
          WHEN failedAt IS NULL AND attempts > 0 THEN max(runAt, ${runAt})
          WHEN ${preserveRunAt ? 1 : 0} = 1 AND attempts = 0 THEN runAt
          ELSE ${runAt} END,
        lastError = CASE WHEN failedAt IS NULL THEN lastError ELSE NULL END,
        attempts = CASE WHEN failedAt IS NULL THEN attempts ELSE 0 END,
        failedAt = NULL, updatedAt = ${now}
      WHERE jobKey = ${key} AND lockedAt IS NULL
      RETURNING id`;
    if (replaced[0]) return { id: String(replaced[0].id) };
    // The keyed job is running: its state may already be stale, so a new job is needed. The running
    // one gives up its key and will not be retried; the new one is not claimed while it runs.
    await client.$executeRaw`
      UPDATE job_queue SET jobKey = NULL, supersededKey = ${key}, maxAttempts = attempts, updatedAt = ${now}
      WHERE jobKey = ${key}`;
  }
  const inserted = await client.$queryRaw<Array<{ id: number | bigint }>>`
    INSERT INTO job_queue
      (taskIdentifier, payload, queueName, jobKey, shop, priority, runAt, attempts, maxAttempts, createdAt, updatedAt)
    VALUES
      (${taskIdentifier}, ${json}, ${queueName}, ${options.jobKey ?? null}, ${shop}, ${priority}, ${runAt}, 0,
       ${maxAttempts}, ${now}, ${now})
    RETURNING id`;
  const row = inserted[0];
  if (!row) throw new Error(`enqueue(${taskIdentifier}): INSERT returned no row`);
  return { id: String(row.id) };
}

function toJobInfo(row: JobRow): JobInfo {
  return {
    id: String(row.id),
    taskIdentifier: row.taskIdentifier,
    queueName: row.queueName,
    jobKey: row.jobKey,
    attempts: Number(row.attempts),
    maxAttempts: Number(row.maxAttempts),
    runAt: new Date(row.runAt),
    lastError: row.lastError,
    payload: JSON.parse(row.payload) as unknown,
  };
}

async function claim(workerId: string, taskIdentifiers: string[]): Promise<JobRow | undefined> {
  if (taskIdentifiers.length === 0) return undefined;
  const now = iso(new Date());
  const rows = await db.$queryRaw<JobRow[]>`
    UPDATE job_queue SET lockedAt = ${now}, lockedBy = ${workerId}, attempts = attempts + 1, updatedAt = ${now}
    WHERE id = (
      SELECT j.id FROM job_queue j
      WHERE j.lockedAt IS NULL AND j.failedAt IS NULL AND j.attempts < j.maxAttempts AND j.runAt <= ${now}
        AND j.taskIdentifier IN (${Prisma.join(taskIdentifiers)})
        AND (j.queueName IS NULL OR NOT EXISTS (
          SELECT 1 FROM job_queue q WHERE q.queueName = j.queueName AND q.lockedAt IS NOT NULL))
        AND (j.jobKey IS NULL OR NOT EXISTS (
          SELECT 1 FROM job_queue s WHERE s.supersededKey = j.jobKey AND s.lockedAt IS NOT NULL))
      ORDER BY j.priority, j.runAt, j.id
      LIMIT 1)
    RETURNING id, taskIdentifier, payload, queueName, jobKey, supersededKey, attempts, maxAttempts, runAt, lastError`;
  return rows[0];
}

/** Releases locks not confirmed for lockTimeoutMs: their worker crashed or was killed. */
async function sweep(lockTimeoutMs: number, options: RunOptions): Promise<number> {
  const now = new Date();
  const cutoff = iso(new Date(now.getTime() - lockTimeoutMs));
  // The attempt that was running counts (a job that kills its worker must not loop forever), so a job
  // swept on its last attempt is failed; its hook cannot run, the error says why.
  const released = await db.$queryRaw<Array<{ id: number | bigint; failed: number | bigint }>>`
    UPDATE job_queue SET
      lockedAt = NULL, lockedBy = NULL, updatedAt = ${iso(now)},
      lastError = 'lock expired: the worker running this job stopped without finishing it',
      failedAt = CASE WHEN attempts >= maxAttempts THEN ${iso(now)} ELSE NULL END
    WHERE lockedAt IS NOT NULL AND lockedAt < ${cutoff}
    RETURNING id, attempts >= maxAttempts AS failed`;
  if (released.length > 0) {
    (options.logger ?? queueLogger()).warn(
      { jobIds: released.map((row) => String(row.id)) },
      "released jobs locked by a worker that stopped",
    );
  }
  return released.length;
}

/** Confirms the locks of the jobs this worker is running now, and of no other job. */
async function heartbeat(workerId: string, running: ReadonlySet<number | bigint>): Promise<void> {
  if (running.size === 0) return;
  await db.$executeRaw`
    UPDATE job_queue SET lockedAt = ${iso(new Date())}
    WHERE lockedBy = ${workerId} AND lockedAt IS NOT NULL AND id IN (${Prisma.join([...running])})`;
}

/**
 * Retries a bookkeeping statement (SQLITE_BUSY past the busy timeout, a full disk for a moment) with
 * growing pauses for up to `forMs`; then throws the last error. Each statement is idempotent (it
 * names the job and this worker's lock), so running it again is safe.
 */
async function retryWrite<T>(write: () => Promise<T>, forMs: number, logger: QueueLogger): Promise<T> {
  const deadline = Date.now() + forMs;
  for (let pause = 50; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + pause > deadline) throw error;
      logger.warn({ err: error, retryInMs: pause }, "recording a job's outcome failed; retrying");
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

/**
 * Runs one claimed job to its end: deleted on success, rescheduled or failed otherwise. The outcome's
 * writes are retried; if they still fail, the job is handed back (explicitly if the database lets us,
 * else by no longer confirming its lock, so the sweeper releases it) to run again.
 */
async function runJob(
  row: JobRow,
  workerId: string,
  options: RunOptions,
  abortSignal: AbortSignal,
  running: Set<number | bigint> = new Set(),
): Promise<void> {
  const job = toJobInfo(row);
  const logger = (options.logger ?? queueLogger()).child({ jobId: job.id, task: job.taskIdentifier });
  const task = options.tasks[job.taskIdentifier];
  running.add(row.id);
  let failure: Error | undefined;
  try {
    if (!task) throw new Error(`no task registered for ${job.taskIdentifier}`);
    await task(JSON.parse(row.payload) as unknown, { job, logger, abortSignal });
  } catch (error) {
    failure = toError(error);
  }
  // Each write is retried for up to a third of the lock timeout, within the time the heartbeat keeps
  // the lock; the whole outcome for up to the lock timeout.
  const retryForMs = (options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS) / 3;
  const write = <T>(statement: () => Promise<T>) => retryWrite(statement, retryForMs, logger);
  try {
    await recordOutcome(row, job, failure, workerId, options, logger, write);
  } catch (error) {
    logger.error(
      { err: error, outcome: failure ? "failed" : "succeeded" },
      "could not record the job's outcome; releasing the job so that it runs again",
    );
    await db.$executeRaw`
      UPDATE job_queue SET lockedAt = NULL, lockedBy = NULL, updatedAt = ${iso(new Date())}
      WHERE id = ${row.id} AND lockedBy = ${workerId}`.catch(() => undefined);
  } finally {
    running.delete(row.id);
  }
}

async function recordOutcome(
  row: JobRow,
  job: JobInfo,
  failure: Error | undefined,
  workerId: string,
  options: RunOptions,
  logger: QueueLogger,
  write: <T>(statement: () => Promise<T>) => Promise<T>,
): Promise<void> {
  if (!failure) {
    await write(() => db.$executeRaw`DELETE FROM job_queue WHERE id = ${row.id} AND lockedBy = ${workerId}`);
    logger.debug({ attempts: job.attempts }, "job:success");
    return;
  }
  // Read the job again: it may have been superseded (maxAttempts lowered) while it ran, or its lock
  // lost (swept after missed heartbeats), in which case it is not ours.
  const current = (
    await write(
      () => db.$queryRaw<Array<{ supersededKey: string | null; maxAttempts: number | bigint }>>`
        SELECT supersededKey, maxAttempts FROM job_queue WHERE id = ${row.id} AND lockedBy = ${workerId}`,
    )
  )[0];
  if (!current) {
    logger.warn({ err: failure }, "job failed after its lock was released; its outcome is not recorded");
    return;
  }
  const exhausted = job.attempts >= Number(current.maxAttempts);
  let final = exhausted || failure instanceof UnrecoverableJobError;
  // A superseded job gives way to the job that replaced it: no retry and no dead letter.
  const superseded = current.supersededKey !== null;
  if (final && !superseded && !(await reportPermanentFailure(options.onPermanentFailure, job, failure, logger))) {
    // The hook did not record the failure: keep the job retryable while attempts remain.
    final = exhausted;
  }
  const now = new Date();
  const retryAt = new Date(now.getTime() + retryDelayMs(job.attempts, options.backoff ?? DEFAULT_BACKOFF));
  await write(
    () => db.$executeRaw`
      UPDATE job_queue SET
        lockedAt = NULL, lockedBy = NULL, lastError = ${failure.message || failure.name}, updatedAt = ${iso(now)},
        runAt = ${iso(final ? job.runAt : retryAt)}, failedAt = ${final ? iso(now) : null}
      WHERE id = ${row.id} AND lockedBy = ${workerId}`,
  );
  if (!final) logger.info({ attempts: job.attempts, retryAt, err: failure }, "job:error, will retry");
}

function workerIdentity(): string {
  return `sqlite:${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

export async function runUntilIdle(options: RunOptions): Promise<number> {
  const workerId = workerIdentity();
  await sweep(options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, options);
  const neverAborted = new AbortController().signal;
  let ran = 0;
  for (;;) {
    const row = await claim(workerId, Object.keys(options.tasks));
    if (!row) return ran;
    await runJob(row, workerId, options, neverAborted);
    ran += 1;
  }
}

export async function startWorker(options: WorkerOptions): Promise<QueueWorker> {
  const workerId = workerIdentity();
  const logger = options.logger ?? queueLogger();
  const concurrency = Math.max(1, options.concurrency ?? 1);
  const pollIntervalMs = options.pollIntervalMs ?? 1_000;
  const lockTimeoutMs = options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const gracefulShutdownMs = options.gracefulShutdownMs ?? 20_000;
  const taskIdentifiers = Object.keys(options.tasks);
  const jobsAbort = new AbortController();
  // The jobs this worker runs now: the heartbeat confirms their locks, and only theirs.
  const running = new Set<number | bigint>();
  let stopping = false;
  // Idle slots wait here until the poll interval passes, a job is enqueued in this process, or stop().
  const sleepers = new Set<() => void>();
  const wake = () => {
    for (const resume of [...sleepers]) resume();
  };
  const onNudge = () => wake();
  nudges.on("job", onNudge);

  await sweep(lockTimeoutMs, options);
  const sweeper = setInterval(
    () => void sweep(lockTimeoutMs, options).catch((e) => logger.warn({ err: e }, "sweep failed")),
    options.sweepIntervalMs ?? lockTimeoutMs / 2,
  );
  const heartbeats = setInterval(
    () => void heartbeat(workerId, running).catch((e) => logger.warn({ err: e }, "heartbeat failed")),
    lockTimeoutMs / 3,
  );

  const idle = () =>
    new Promise<void>((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        sleepers.delete(resume);
        resolve();
      };
      const timer = setTimeout(resume, pollIntervalMs);
      sleepers.add(resume);
    });

  async function slot(): Promise<void> {
    while (!stopping) {
      let row: JobRow | undefined;
      try {
        row = await claim(workerId, taskIdentifiers);
      } catch (error) {
        logger.warn({ err: error }, "claiming a job failed; retrying after the poll interval");
      }
      if (!row) {
        await idle();
        continue;
      }
      try {
        await runJob(row, workerId, options, jobsAbort.signal, running);
      } catch (error) {
        // runJob handles its own failures; this is a last resort that must not end the slot.
        logger.error({ err: error, jobId: String(row.id) }, "running a job failed unexpectedly");
      }
    }
  }

  const slots = Promise.all(Array.from({ length: concurrency }, () => slot()));
  logger.info({ workerId, concurrency, tasks: taskIdentifiers }, "worker started");

  let stopped: Promise<StopOutcome> | undefined;
  function stop(): Promise<StopOutcome> {
    stopped ??= (async () => {
      stopping = true;
      wake();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        slots.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), gracefulShutdownMs))),
      ]);
      clearTimeout(timer);
      clearInterval(sweeper);
      nudges.off("job", onNudge);
      const stillRunning = running.size;
      if (finished) {
        clearInterval(heartbeats);
      } else {
        // Jobs still running: ask them to stop at their next checkpoint, but keep their locks (and
        // their heartbeat) while this process runs them: handing them to another worker now would
        // run them twice at once. They are recorded here if they finish; if the process exits
        // first, their locks expire and another worker's sweeper releases them.
        jobsAbort.abort(new Error("worker shutting down"));
        heartbeats.unref();
        void slots.finally(() => clearInterval(heartbeats));
        logger.warn({ workerId, stillRunning }, "jobs still running after the shutdown grace period keep their locks");
      }
      logger.info({ workerId }, "worker stopped");
      return { stillRunning };
    })();
    return stopped;
  }
  options.signal?.addEventListener("abort", () => void stop(), { once: true });
  if (options.signal?.aborted) void stop();

  return {
    stop,
    get stopped() {
      return (stopped ?? slots.then(() => stop())).then(() => undefined);
    },
  };
}

export async function queueDepth(): Promise<QueueDepth> {
  const now = iso(new Date());
  const rows = await db.$queryRaw<Array<Record<keyof QueueDepth, number | bigint | null>>>`
    SELECT
      SUM(CASE WHEN failedAt IS NULL AND lockedAt IS NULL AND runAt <= ${now} THEN 1 ELSE 0 END) AS ready,
      SUM(CASE WHEN failedAt IS NULL AND lockedAt IS NULL AND runAt > ${now} THEN 1 ELSE 0 END) AS scheduled,
      SUM(CASE WHEN lockedAt IS NOT NULL THEN 1 ELSE 0 END) AS running,
      SUM(CASE WHEN failedAt IS NOT NULL THEN 1 ELSE 0 END) AS failed
    FROM job_queue`;
  const row = rows[0];
  return {
    ready: Number(row?.ready ?? 0),
    scheduled: Number(row?.scheduled ?? 0),
    running: Number(row?.running ?? 0),
    failed: Number(row?.failed ?? 0),
  };
}

export async function oldestReadyJobAgeSeconds(now: Date): Promise<number> {
  const at = iso(now);
  const rows = await db.$queryRaw<Array<{ oldest: string | null }>>`
    SELECT MIN(runAt) AS oldest FROM job_queue WHERE failedAt IS NULL AND lockedAt IS NULL AND runAt <= ${at}`;
  const oldest = rows[0]?.oldest;
  return oldest ? Math.max(0, (now.getTime() - Date.parse(oldest)) / 1000) : 0;
}

export async function migrateQueue(): Promise<void> {
  // job_queue is part of the Prisma migrations.
}
