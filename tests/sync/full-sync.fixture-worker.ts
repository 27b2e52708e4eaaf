// A queue worker in a child process for tests/sync/full-sync-resume.test.ts, which kills it with
// SIGKILL in the middle of a full sync. Started with `node --import tsx`; inherits DATABASE_URL and
// SHOPIFY_EMULATOR_URL from the test; configured by FULL_SYNC_FIXTURE (JSON).
import pino from "pino";
import { fullSyncSettings } from "~/sync/full-sync/run.server";
import { startWorker } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";

interface FixtureConfig {
  batchLines: number;
  pauseBetweenBatchesMs: number;
  lockTimeoutMs: number;
}

const config = JSON.parse(process.env.FULL_SYNC_FIXTURE ?? "{}") as FixtureConfig;
fullSyncSettings.batchLines = config.batchLines;
fullSyncSettings.pauseBetweenBatchesMs = config.pauseBetweenBatchesMs;
fullSyncSettings.firstPollMs = 25;

const worker = await startWorker({
  tasks,
  onPermanentFailure,
  pollIntervalMs: 25,
  lockTimeoutMs: config.lockTimeoutMs,
  logger: pino({ level: "silent" }),
});
process.stdout.write("ready\n");
process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
