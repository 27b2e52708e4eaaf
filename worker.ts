// The worker process: `npm run worker`. It runs the queue's jobs with the same modules as the web
// process (app/sync/tasks), and serves no HTTP but /metrics when WORKER_METRICS_PORT is set. Any
// number of worker processes, on any number of machines, can share one PostgreSQL database; on
// SQLite, run one beside the web process.
// SIGTERM / SIGINT drain it; it exits 1 when it can no longer work (app/sync/queue/worker-process.server.ts).
import "dotenv/config";
import { env } from "~/env.server";
import { scheduleRetention } from "~/privacy/retention.server";
import { serveMetrics } from "~/observability/metrics-listener.server";
import { queueLogger } from "~/sync/queue/queue.server";
import { runWorkerProcess } from "~/sync/queue/worker-process.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { keepReconciliationChainsAlive } from "~/sync/reconcile/schedule.server";

const config = env(); // fails fast, naming the bad variable
const logger = queueLogger();
logger.info({ database: config.DATABASE_URL?.split(":")[0] ?? "file" }, "worker starting");
await runWorkerProcess({
  tasks,
  onPermanentFailure,
  // Jobs at once per process. Per-shop queues keep one shop's jobs serial, so this is how many shops
  // one process syncs at a time; Shopify's per-shop cost budget, not our CPU, bounds each of them.
  concurrency: 4,
  logger,
  onStarted: async (shutdown) => {
    const metricsServer = config.WORKER_METRICS_PORT
      ? await serveMetrics(config.WORKER_METRICS_PORT, config.METRICS_TOKEN)
      : undefined;
    shutdown.addEventListener("abort", () => metricsServer?.close(), { once: true });
    if (metricsServer) logger.info({ metricsPort: config.WORKER_METRICS_PORT }, "worker metrics served");
    keepReconciliationChainsAlive(logger, shutdown); // docs/decisions/0019-recurring-work.md
    // The hourly retention pass (app/privacy/retention.server.ts): started, or kept, by every worker.
    await scheduleRetention();
  },
});
