// The embedded default runs the queue's worker inside the web process (one process, one SQLite file:
// `npm run dev` or `npm start` needs nothing else). With PostgreSQL, workers run as their own
// processes (`npm run worker`), as many as needed. WORKER_IN_WEB_PROCESS overrides the choice.
import { databaseProvider } from "~/db.server";
import { env } from "~/env.server";
import { logger } from "~/observability/logger.server";
import { startWorker, type QueueWorker } from "~/sync/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { keepReconciliationChainsAlive } from "~/sync/tasks/sync/reconcile.server";

declare global {
  // One worker per process, even when Vite reloads this module in development.
  var shopSyncEmbeddedWorker: Promise<QueueWorker> | undefined;
}

export function shouldRunWorkerInWebProcess(): boolean {
  const setting = env().WORKER_IN_WEB_PROCESS;
  return setting === "auto" ? databaseProvider() === "sqlite" : setting === "true";
}

export function startEmbeddedWorker(): void {
  if (globalThis.shopSyncEmbeddedWorker || !shouldRunWorkerInWebProcess()) return;
  globalThis.shopSyncEmbeddedWorker = startWorker({ tasks, onPermanentFailure, concurrency: 2, logger });
  globalThis.shopSyncEmbeddedWorker.then(
    () => {
      logger.info("worker:embedded started");
      keepReconciliationChainsAlive(logger); // docs/decisions/0019-recurring-work.md
    },
    (error: unknown) => logger.error({ err: error }, "worker:embedded failed to start"),
  );
  // remix-serve closes its HTTP server on SIGTERM/SIGINT, but the worker's timers kept the process
  // alive until it was killed (found by `npm run demo`'s shutdown). Stop the worker too: running jobs
  // finish or are handed back, then the process exits on its own.
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      void globalThis.shopSyncEmbeddedWorker?.then((worker) => worker.stop()).catch(() => undefined);
    });
  }
}
