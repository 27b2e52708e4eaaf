// The worker process: `npm run worker`. It runs the queue's jobs with the same modules as the web
// process (app/sync/tasks), and serves no HTTP but /metrics when WORKER_METRICS_PORT is set. Any
// number of worker processes, on any number of machines, can share one PostgreSQL database; on
// SQLite, run one beside the web process.
// SIGTERM / SIGINT stop it gracefully: no new jobs, running ones finish (or are handed back).
import "dotenv/config";
import { disconnectDatabase } from "~/db.server";
import { env } from "~/env.server";
import { scheduleRetention } from "~/privacy/retention.server";
import { serveMetrics } from "~/observability/metrics-listener.server";
import { queueLogger, startWorker } from "~/sync/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { keepReconciliationChainsAlive } from "~/sync/tasks/sync/reconcile.server";

const config = env(); // fails fast, naming the bad variable
const logger = queueLogger();
const shutdown = new AbortController();
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    logger.info({ signal }, "shutting down");
    shutdown.abort();
  });
}

const worker = await startWorker({
  tasks,
  onPermanentFailure,
  // Jobs at once per process. Per-shop queues keep one shop's jobs serial, so this is how many shops
  // one process syncs at a time; Shopify's per-shop cost budget, not our CPU, bounds each of them.
  concurrency: 4,
  signal: shutdown.signal,
  logger,
});
// The hourly retention pass (app/privacy/retention.server.ts): started, or kept, by every worker.
await scheduleRetention();
const metricsServer = config.WORKER_METRICS_PORT
  ? await serveMetrics(config.WORKER_METRICS_PORT, config.METRICS_TOKEN)
  : undefined;
logger.info(
  { database: config.DATABASE_URL?.split(":")[0] ?? "file", metricsPort: config.WORKER_METRICS_PORT },
  "worker running",
);
keepReconciliationChainsAlive(logger, shutdown.signal); // docs/decisions/0019-recurring-work.md
await worker.stopped;
metricsServer?.close();
await disconnectDatabase();
