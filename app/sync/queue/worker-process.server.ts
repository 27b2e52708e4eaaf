// A process whose job is to run the queue's worker: `npm run worker` (worker.ts), and the worker
// processes of the queue's tests, which run this same code. Its exit code tells a supervisor
// (systemd, Docker, Kubernetes, the soak benchmark) what happened:
// - SIGTERM / SIGINT drain: no new jobs; running ones get the grace period to finish; exit 0.
// - A worker that can no longer work (PostgreSQL: it lost its connection) exits 1, saying why, so a
//   supervisor that restarts on failure starts a new one.
// - Jobs still running after the grace period are not handed to another worker while this process
//   runs them: the process exits first, and their locks expire (docs/decisions/0021).
import { disconnectDatabase } from "~/db.server";
import { startWorker, type QueueLogger, type WorkerOptions } from "~/sync/queue/queue.server";

export interface WorkerProcessOptions extends WorkerOptions {
  logger: QueueLogger;
  /** Called once the worker takes jobs, with the signal that aborts when the process shuts down. */
  onStarted?: (shutdown: AbortSignal) => void | Promise<void>;
}

export async function runWorkerProcess({ onStarted, ...options }: WorkerProcessOptions): Promise<never> {
  const { logger } = options;
  const shutdown = new AbortController();
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "worker:shutting down, draining running jobs");
      shutdown.abort();
    });
  }
  let code = 0;
  let stillRunning = 0;
  try {
    const worker = await startWorker({ ...options, signal: shutdown.signal });
    logger.info("worker running");
    await onStarted?.(shutdown.signal);
    try {
      await worker.stopped;
    } catch (error) {
      logger.fatal({ err: error }, "worker:stopped, it can no longer work; exiting 1 so that a new one is started");
      code = 1;
    }
    ({ stillRunning } = await worker.stop()); // already stopped: its outcome
  } catch (error) {
    logger.fatal({ err: error }, "worker:could not start; exiting 1");
    code = 1;
  }
  if (stillRunning > 0) {
    logger.warn(
      { stillRunning },
      "worker:exiting with jobs still running; their locks expire and another worker runs them again",
    );
  } else {
    await disconnectDatabase().catch(() => undefined);
  }
  process.exit(code);
}
