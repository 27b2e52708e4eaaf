// `npm run sync -- --shop X [--full|--incremental] [--resource products|inventory|orders]`: the
// operator's sync. It requests the sync (joining one already queued or running), runs the queue's
// worker in this process until those jobs are finished, shows their progress, and prints the job
// rows at the end. Exit code 1 when a job failed.
import "dotenv/config";
import { parseArgs } from "node:util";
import { MultiBar, Presets } from "cli-progress";
import { db, disconnectDatabase } from "~/db.server";
import { env } from "~/env.server";
import { SYNC_RESOURCES, type SyncResource } from "~/sync/jobs.server";
import { queueLogger, startWorker } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { INCREMENTAL_SYNC_TASK, requestSync } from "~/sync/triggers.server";

const USAGE = "usage: npm run sync -- --shop X [--full|--incremental] [--resource products|inventory|orders]";

const { values } = parseArgs({
  options: {
    shop: { type: "string" },
    full: { type: "boolean", default: false },
    incremental: { type: "boolean", default: false },
    resource: { type: "string" },
    help: { type: "boolean", default: false },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

if (values.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
env(); // fails fast, naming a bad variable
if (!values.shop) fail("--shop is required");
if (values.full && values.incremental) fail("--full and --incremental exclude each other");
const kind = values.incremental ? "incremental" : "full";
if (kind === "incremental" && !tasks[INCREMENTAL_SYNC_TASK])
  fail("the incremental sync is not available in this build");
const resource = values.resource;
if (resource !== undefined && !(SYNC_RESOURCES as readonly string[]).includes(resource)) {
  fail(`--resource must be one of ${SYNC_RESOURCES.join(", ")}`);
}
const resources = resource ? [resource as SyncResource] : SYNC_RESOURCES;

const store = await db.shopifyStore.findUnique({ where: { shop: values.shop } });
if (!store) fail(`no store ${values.shop}: install the app on it first`);

const jobIds: string[] = [];
for (const r of resources) {
  const { job, created } = await requestSync(store.id, { kind, resource: r, trigger: "cli" });
  jobIds.push(job.id);
  if (!created) process.stderr.write(`${r}: joining the ${job.status} sync ${job.id}\n`);
}

const logger = queueLogger();
logger.level = "warn"; // the progress bars are the output
const worker = await startWorker({ tasks, onPermanentFailure, concurrency: 2, pollIntervalMs: 200, logger });
const bars = new MultiBar(
  { format: " {resource} |{bar}| {value}/{total} lines | {status}", hideCursor: true, clearOnComplete: false },
  Presets.shades_classic,
);
const barFor = new Map(resources.map((r) => [r, bars.create(1, 0, { resource: r.padEnd(9), status: "queued" })]));

let rows = await db.shopifySyncJob.findMany({ where: { id: { in: jobIds } } });
for (;;) {
  rows = await db.shopifySyncJob.findMany({ where: { id: { in: jobIds } } });
  for (const row of rows) {
    const bar = barFor.get(row.resource as SyncResource);
    bar?.setTotal(Math.max(row.totalCount ?? 0, row.doneCount, 1));
    bar?.update(row.doneCount, { status: row.status });
  }
  if (rows.every((row) => !["queued", "running"].includes(row.status))) break;
  await new Promise((resolve) => setTimeout(resolve, 500));
}
bars.stop();
await worker.stop();
process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
await disconnectDatabase();
process.exit(rows.every((row) => row.status === "succeeded") ? 0 : 1);
