// The embedded default runs the queue's worker inside the web process (one process, one SQLite file:
// `npm run dev` or `npm start` needs nothing else). With PostgreSQL, workers run as their own
// processes (`npm run worker`), as many as needed. WORKER_IN_WEB_PROCESS overrides the choice.
//
// Nothing restarts a web process because its worker stopped, so the embedded worker is supervised
// here: a worker that could not start, or stopped because it could no longer work (PostgreSQL: it
// lost its connection), is started again with capped exponential backoff, and the log says why.
import { databaseProvider } from "~/db.server";
import { env } from "~/env.server";
import { logger as appLogger } from "~/observability/logger.server";
import { scheduleRetention } from "~/privacy/retention.server";
import { cappedBackoffMs } from "~/lib/backoff";
import { startWorker, type QueueWorker, type WorkerOptions } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { keepReconciliationChainsAlive } from "~/sync/reconcile/schedule.server";

export interface SupervisedWorker {
  /** Stops the current worker (draining it) and restarts no more. */
  stop(): Promise<void>;
  /** How many times the worker was started again after a failure. */
  readonly restarts: number;
}

export interface SuperviseOptions {
  /** Backoff between restarts (default 1 s doubling to 60 s, jittered). */
  restartDelayMs?: { baseMs: number; maxMs: number };
  /** Called after every start of a worker (the first and each restart). */
  onStarted?: () => void;
}

/** Runs a worker and starts a new one whenever it fails to start or stops on its own. */
export function superviseWorker(
  options: WorkerOptions,
  { restartDelayMs, onStarted }: SuperviseOptions = {},
): SupervisedWorker {
  const logger = options.logger ?? appLogger;
  const backoff = restartDelayMs ?? { baseMs: 1_000, maxMs: 60_000 };
  const stopping = new AbortController();
  let current: QueueWorker | undefined;
  let restarts = 0;

  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      stopping.signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });

  const loop = (async () => {
    // Failures in a row: a worker that ran well for a while starts again after the shortest pause.
    let failures = 0;
    while (!stopping.signal.aborted) {
      let reason: unknown;
      try {
        current = await startWorker(options);
        if (stopping.signal.aborted) {
          await current.stop();
          break;
        }
        logger.info({ restarts }, "worker:embedded started");
        onStarted?.();
        const startedAt = Date.now();
        await current.stopped;
        if (stopping.signal.aborted) break;
        reason = new Error("the worker stopped without being asked to");
        if (Date.now() - startedAt > backoff.maxMs) failures = 0;
      } catch (error) {
        reason = error;
      }
      if (stopping.signal.aborted) break;
      failures += 1;
      const delayMs = cappedBackoffMs(failures, backoff);
      logger.error({ err: reason, delayMs, restarts }, "worker:embedded stopped; starting it again after a pause");
      await pause(delayMs);
      if (!stopping.signal.aborted) restarts += 1;
    }
  })();

  return {
    async stop() {
      stopping.abort();
      await current?.stop();
      await loop;
    },
    get restarts() {
      return restarts;
    },
  };
}

declare global {
  // One worker per process, even when Vite reloads this module in development.
  var shopSyncEmbeddedWorker: SupervisedWorker | undefined;
}

export function shouldRunWorkerInWebProcess(): boolean {
  const setting = env().WORKER_IN_WEB_PROCESS;
  return setting === "auto" ? databaseProvider() === "sqlite" : setting === "true";
}

export function startEmbeddedWorker(): void {
  if (globalThis.shopSyncEmbeddedWorker || !shouldRunWorkerInWebProcess()) return;
  let chainsKeptAlive = false;
  const worker = superviseWorker(
    { tasks, onPermanentFailure, concurrency: 2, logger: appLogger },
    {
      onStarted: () => {
        // Idempotent (preserve_run_at): every start keeps the hourly retention chain (ADR 0017).
        scheduleRetention().catch((error: unknown) =>
          appLogger.error({ err: error }, "privacy:retention not scheduled"),
        );
        if (chainsKeptAlive) return;
        chainsKeptAlive = true;
        keepReconciliationChainsAlive(appLogger); // docs/decisions/0019-recurring-work.md
      },
    },
  );
  globalThis.shopSyncEmbeddedWorker = worker;
  // remix-serve closes its HTTP server on SIGTERM/SIGINT, but the worker's timers kept the process
  // alive until it was killed (found by `npm run demo`'s shutdown). Stop the worker too: running jobs
  // finish (or keep their locks until the process exits), then the process exits on its own.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void worker.stop().catch(() => undefined));
  }
}
