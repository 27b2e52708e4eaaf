// The embedded default runs the queue's worker inside the web process (one process, one SQLite file:
// `npm run dev` or `npm start` needs nothing else). With PostgreSQL, workers run as their own
// processes (`npm run worker`), as many as needed. WORKER_IN_WEB_PROCESS overrides the choice.
import { databaseProvider } from "~/db.server";
import { env } from "~/env.server";
import { logger } from "~/observability/logger.server";
import { startWorker, type QueueWorker } from "~/sync/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";

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
    () => logger.info("worker:embedded started"),
    (error: unknown) => logger.error({ err: error }, "worker:embedded failed to start"),
  );
}
