// `npm run bench:soak -- [--minutes 10] [--database sqlite|postgresql] [--products 300] [--orders 500]
// [--every 1000] [--settle-minutes 5]`: the demo stack under store activity and injected faults, then
// checks that nothing got stuck (issue #12, "Nothing gets stuck").
//
// The demo stack (tools/demo/stack.ts: emulator + built app) runs with its queue worker as its own
// `worker.ts` process, which this script supervises like a process manager (restarts it whenever it
// exits). After the first full sync, for --minutes, demo:activity's store events (orders, stock,
// prices, cancellations) reach the app as webhooks while a fault injector
// - restarts the worker once a minute, alternately with SIGTERM (a deploy: it drains) and SIGKILL (a
//   crash: its jobs' locks expire and are taken over);
// - pauses the database for 5 s once a minute: PostgreSQL is a private server this script starts
//   (tests/webhooks/support/private-postgres.ts) and stops with SIGSTOP / SIGCONT; SQLite is held by
//   a write transaction (BEGIN IMMEDIATE) of another connection;
// - makes 10% of Admin API calls answer 503 (the emulator's fault injection, tools/shopify-emulator/src/faults.ts).
// Then the faults stop and the emulator's pending webhook retries are fast-forwarded until, within
// --settle-minutes, nothing is pending ("afterWebhooks": no queue job locked past its lock timeout or
// ready for a minute without running, no delivery unprocessed, no unfinished sync). No delivery may
// be dead-lettered (every one was valid). The database is compared with the emulator's store then,
// and again after one incremental "sync now" per resource ("afterIncrementalSync"; webhooks do not
// carry every field). `ok` is that second comparison plus nothing stuck. Prints one JSON object.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import Sqlite from "better-sqlite3";
import { startPrivatePostgres, type PrivatePostgres } from "../tests/webhooks/support/private-postgres";
import { runActivity } from "../tools/demo/activity";
import { ROOT, startStack, type Stack } from "../tools/demo/stack";

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "10" },
    database: { type: "string", default: "sqlite" },
    products: { type: "string", default: "300" },
    orders: { type: "string", default: "500" },
    every: { type: "string", default: "1000" },
    "settle-minutes": { type: "string", default: "5" },
  },
});
const minutes = Number(values.minutes);
const postgres = values.database === "postgresql";
if (!postgres && values.database !== "sqlite") throw new Error("--database is sqlite or postgresql");
const settleMs = Number(values["settle-minutes"]) * 60_000;
const ADMIN_API_FAILURE_RATE = 0.1;
const DB_PAUSE_MS = 5_000;
const LOCK_TIMEOUT_MS = 60_000; // the queue's default (app/sync/queue/queue.server.ts)

const log = (line: string) => process.stderr.write(`[soak ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });

/** The worker process, restarted whenever it exits (as systemd's Restart=always would). */
function superviseWorker(stack: Stack) {
  const logFile = createWriteStream(path.join(stack.logDir, "worker.log"), { flags: "w" });
  const exits: Array<{ code: number | null; signal: string | null; requested: boolean }> = [];
  let child: ChildProcess | undefined;
  let stopping = false;
  let requested = false;
  const start = () => {
    child = spawn(process.execPath, ["--import", "tsx", "worker.ts"], {
      cwd: ROOT,
      env: stack.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.pipe(logFile, { end: false });
    child.stderr?.pipe(logFile, { end: false });
    child.once("exit", (code, signal) => {
      exits.push({ code, signal, requested });
      requested = false;
      if (!stopping) setTimeout(start, 1_000);
    });
  };
  start();
  const exited = () => new Promise<void>((resolve) => child?.once("exit", () => resolve()));
  return {
    exits,
    async restart(signal: "SIGTERM" | "SIGKILL") {
      requested = true;
      const done = exited();
      child?.kill(signal);
      await done;
    },
    async stop() {
      stopping = true;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const done = exited();
      child.kill("SIGTERM");
      await done;
    },
  };
}

/** Pauses the database for `ms`: SIGSTOP/SIGCONT of every process of the private PostgreSQL, or a held SQLite write lock. */
async function pauseDatabase(ms: number, target: { pg?: PrivatePostgres; sqliteFile?: string }): Promise<void> {
  if (target.pg) {
    const port = new URL(target.pg.url).port;
    const processes = execFileSync("ps", ["-eo", "pid=,ppid=,args="], { encoding: "utf8" })
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((parts) => parts.length > 2);
    const postmaster = processes.find((parts) => parts.slice(2).join(" ").includes(`-p ${port} `));
    if (!postmaster) throw new Error(`no PostgreSQL server on port ${port}`);
    const pids = [postmaster[0], ...processes.filter((parts) => parts[1] === postmaster[0]).map((parts) => parts[0])];
    for (const pid of pids) process.kill(Number(pid), "SIGSTOP");
    await sleep(ms);
    for (const pid of pids.reverse()) process.kill(Number(pid), "SIGCONT");
    return;
  }
  const connection = new Sqlite(target.sqliteFile);
  try {
    connection.exec("BEGIN IMMEDIATE"); // the write lock: every other writer waits (busy timeout)
    await sleep(ms);
    connection.exec("COMMIT");
  } finally {
    connection.close();
  }
}

async function main(): Promise<void> {
  const pg = postgres ? await startPrivatePostgres() : undefined;
  const databaseFile = "prisma/soak.sqlite";
  const sqliteFile = path.resolve(ROOT, databaseFile);
  let stack: Stack | undefined;
  let worker: ReturnType<typeof superviseWorker> | undefined;
  try {
    stack = await startStack({
      products: Number(values.products),
      orders: Number(values.orders),
      databaseFile,
      databaseUrl: pg?.url,
      workerInWebProcess: false,
      logDir: ".cache/soak",
      // Webhook retries 100× faster than Shopify's (a minute's backoff becomes 0.6 s).
      timeScale: 0.01,
      log,
    });
    process.env.DATABASE_URL = stack.env.DATABASE_URL;
    worker = superviseWorker(stack);
    const started = Date.now();
    await stack.install();
    await stack.waitForSyncs({ timeoutMs: 10 * 60_000 });
    const initialSyncMs = Date.now() - started;
    log(`first full sync done in ${initialSyncMs} ms; soaking for ${minutes} min`);

    await stack.control("/faults", { body: { error5xxRate: ADMIN_API_FAILURE_RATE, errorStatus: 503 } });
    const activity = new AbortController();
    let activityLines = 0;
    const activityDone = runActivity(stack, {
      everyMs: Number(values.every),
      signal: activity.signal,
      log: () => void (activityLines += 1),
    });
    const faults = { gracefulRestarts: 0, crashes: 0, databasePauses: 0 };
    const soakEnd = Date.now() + minutes * 60_000;
    for (let minute = 0; Date.now() < soakEnd; minute += 1) {
      const minuteStart = Date.now();
      await sleep(Math.min(15_000, soakEnd - Date.now()));
      if (Date.now() >= soakEnd) break;
      const signal = minute % 2 === 0 ? "SIGTERM" : "SIGKILL";
      log(`fault: worker ${signal}`);
      await worker.restart(signal);
      if (signal === "SIGTERM") faults.gracefulRestarts += 1;
      else faults.crashes += 1;
      await sleep(Math.max(0, minuteStart + 40_000 - Date.now()));
      if (Date.now() >= soakEnd) break;
      log(`fault: database paused for ${DB_PAUSE_MS} ms`);
      await pauseDatabase(DB_PAUSE_MS, { pg, sqliteFile });
      faults.databasePauses += 1;
      await sleep(Math.max(0, Math.min(minuteStart + 60_000, soakEnd) - Date.now()));
    }
    activity.abort();
    await activityDone;
    await stack.control("/faults", { method: "DELETE" });
    log("faults stopped; settling");

    // Settle: every delivery delivered and processed, every queue job done or scheduled for later.
    const settleStart = Date.now();
    let check = await checkState(stack);
    while (!check.drained && Date.now() - settleStart < settleMs) {
      await stack.control("/webhooks/flush", { body: { fastForward: true, timeoutMs: 30_000 } });
      await sleep(5_000);
      check = await checkState(stack);
    }
    const drainedMs = check.drained ? Date.now() - settleStart : null;
    // Webhooks do not carry everything (ADR 0011): what they miss, reconciliation and the merchant's
    // "sync now" fetch. One incremental sync of each resource, then the same comparison again.
    const incrementalStart = Date.now();
    for (const resource of ["products", "inventory", "orders"]) {
      const { status } = await stack.api(`/api/v1/shopify/stores/${await stack.storeId()}/sync/${resource}`, {
        method: "POST",
        body: JSON.stringify({ kind: "incremental" }),
        headers: { "content-type": "application/json" },
      });
      if (status !== 202) throw new Error(`sync now (${resource}): ${status}`);
    }
    await stack.waitForSyncs({ which: (job) => job.kind === "incremental", timeoutMs: settleMs });
    const afterIncremental = await checkState(stack);
    const figures = {
      benchmark: "soak",
      database: postgres ? "postgresql" : "sqlite",
      minutes,
      seed: { products: Number(values.products), orders: Number(values.orders) },
      initialSyncMs,
      activityEvents: activityLines,
      faults: {
        ...faults,
        adminApi5xxRate: ADMIN_API_FAILURE_RATE,
        databasePauseMs: DB_PAUSE_MS,
        workerExits: worker.exits.length,
        unrequestedWorkerExits: worker.exits.filter((exit) => !exit.requested).length,
        workerExitCodes: worker.exits.map((exit) => exit.signal ?? exit.code),
      },
      drainedMs,
      afterWebhooks: check,
      incrementalSyncMs: Date.now() - incrementalStart,
      afterIncrementalSync: afterIncremental,
      ok: afterIncremental.ok,
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((n) => Number(n.toFixed(2))),
    };
    process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
    process.exitCode = afterIncremental.ok ? 0 : 1;
  } finally {
    await worker?.stop();
    await stack?.stop();
    pg?.destroy();
    const { disconnectDatabase } = await import("~/db.server");
    await disconnectDatabase().catch(() => undefined);
  }
}

interface StoreDump {
  products: Array<{
    gid: string;
    title: string;
    status: string;
    variants: Array<{ gid: string; price: string; inventoryQuantity: number | null }>;
  }>;
  inventoryLevels: Array<{ inventoryItemId: string; locationId: string; available: number; onHand: number }>;
  orders: Array<{
    gid: string;
    displayFinancialStatus: string | null;
    cancelledAt: string | null;
    totalPrice: string;
    lineItems: unknown[];
  }>;
}

/** Compares the database with the emulator's store and looks for anything stuck. */
async function checkState(stack: Stack) {
  const { db } = await import("~/db.server");
  const storeId = await stack.storeId();
  const dump = await stack.control<StoreDump>(`/shops/${encodeURIComponent(stack.shop)}/store`);
  const emulatorWebhooks = await stack.control<{ stats: { pending: number; inFlight: number; byStatus: object } }>(
    "/webhooks/deliveries?limit=1",
  );

  const mismatches: Record<string, { count: number; examples: string[] }> = {};
  const compare = (table: string, expected: Map<string, string>, actual: Map<string, string>) => {
    const wrong: string[] = [];
    for (const [key, value] of expected) {
      if (actual.get(key) !== value) wrong.push(`${key}: store ${value}, db ${actual.get(key) ?? "missing"}`);
    }
    for (const key of actual.keys()) if (!expected.has(key)) wrong.push(`${key}: not in the store`);
    if (wrong.length) mismatches[table] = { count: wrong.length, examples: wrong.slice(0, 3) };
  };
  const time = (value: string | Date | null) => (value ? new Date(value).toISOString() : "null");
  const cents = (amount: string) => String(Math.round(Number(amount) * 100));

  const products = await db.shopifyProduct.findMany({ where: { storeId, deletedAt: null } });
  compare(
    "products",
    new Map(dump.products.map((p) => [p.gid, `${p.title}|${p.status}`])),
    new Map(products.map((p) => [p.shopifyId, `${p.title}|${p.status}`])),
  );
  const variants = await db.shopifyProductVariant.findMany({ where: { storeId } });
  compare(
    "variants",
    new Map(dump.products.flatMap((p) => p.variants.map((v) => [v.gid, `${v.price}|${v.inventoryQuantity}`]))),
    new Map(variants.map((v) => [v.shopifyId, `${v.price}|${v.inventoryQuantity}`])),
  );
  const levels = await db.shopifyInventoryLevel.findMany({ where: { storeId } });
  compare(
    "inventoryLevels",
    new Map(
      dump.inventoryLevels.map((l) => [
        `gid://shopify/InventoryItem/${l.inventoryItemId}|gid://shopify/Location/${l.locationId}`,
        `${l.available}|${l.onHand}`,
      ]),
    ),
    new Map(levels.map((l) => [`${l.inventoryItemId}|${l.locationId}`, `${l.available}|${l.onHand}`])),
  );
  const orders = await db.shopifyOrder.findMany({
    where: { storeId },
    include: { _count: { select: { lineItems: true } } },
  });
  compare(
    "orders",
    new Map(
      dump.orders.map((o) => [
        o.gid,
        `${o.displayFinancialStatus}|${time(o.cancelledAt)}|${cents(o.totalPrice)}|${o.lineItems.length}`,
      ]),
    ),
    new Map(
      orders.map((o) => [
        o.shopifyId,
        `${o.financialStatus}|${time(o.cancelledAt)}|${Number(o.totalPriceMinor)}|${o._count.lineItems}`,
      ]),
    ),
  );

  const deliveries = Object.fromEntries(
    (await db.shopifyWebhookEvent.groupBy({ by: ["status"], _count: { _all: true } })).map((g) => [
      g.status,
      g._count._all,
    ]),
  );
  const syncJobs = Object.fromEntries(
    (await db.shopifySyncJob.groupBy({ by: ["kind", "status"], where: { storeId }, _count: { _all: true } })).map(
      (g) => [`${g.kind}:${g.status}`, g._count._all],
    ),
  );
  const queue = await stuckJobs();
  // Unfinished sync rows whose queue job is not scheduled for later (reconciliation's next run is).
  const unfinishedSyncs = await db.shopifySyncJob.count({
    where: { storeId, status: { in: ["queued", "running"] }, kind: { not: "reconcile" } },
  });
  const stuck = {
    queueJobsLockedPastTimeout: queue.lockedPastTimeout,
    queueJobsReadyButNotRunning: queue.readyForAMinute,
    queueJobsFailed: queue.failed,
    webhookDeliveriesNotProcessed: (deliveries.received ?? 0) + (deliveries.processing ?? 0) + (deliveries.failed ?? 0),
    unfinishedSyncJobs: unfinishedSyncs,
    emulatorWebhooksPending: emulatorWebhooks.stats.pending + emulatorWebhooks.stats.inFlight,
  };
  const deadLettered = deliveries.dead ?? 0;
  const equal = Object.keys(mismatches).length === 0;
  const drained = Object.values(stuck).every((n) => n === 0);
  return {
    ok: equal && deadLettered === 0 && drained,
    drained,
    databaseEqualsStore: equal,
    mismatches,
    rows: {
      products: products.length,
      variants: variants.length,
      inventoryLevels: levels.length,
      orders: orders.length,
    },
    stuck,
    deadLetteredDeliveries: deadLettered,
    webhookDeliveries: deliveries,
    emulatorWebhooks: emulatorWebhooks.stats,
    syncJobs,
    queue: queue.depth,
  };
}

/** Queue jobs locked longer than the lock timeout, ready for over a minute yet not running, or failed. */
async function stuckJobs() {
  const { db } = await import("~/db.server");
  const { queueDepth } = await import("~/sync/queue/queue.server");
  const depth = await queueDepth();
  const cutoff = new Date(Date.now() - LOCK_TIMEOUT_MS);
  const rows = postgres
    ? await db.$queryRaw<Array<{ locked: number; ready: number; failed: number }>>`
        SELECT
          count(*) FILTER (WHERE locked_at < ${cutoff})::int AS locked,
          count(*) FILTER (WHERE locked_at IS NULL AND attempts < max_attempts AND run_at < ${cutoff})::int AS ready,
          count(*) FILTER (WHERE attempts >= max_attempts)::int AS failed
        FROM graphile_worker.jobs`
    : await db.$queryRaw<Array<{ locked: number | bigint; ready: number | bigint; failed: number | bigint }>>`
        SELECT
          SUM(CASE WHEN lockedAt IS NOT NULL AND lockedAt < ${cutoff.toISOString()} THEN 1 ELSE 0 END) AS locked,
          SUM(CASE WHEN lockedAt IS NULL AND failedAt IS NULL AND runAt < ${cutoff.toISOString()} THEN 1 ELSE 0 END) AS ready,
          SUM(CASE WHEN failedAt IS NOT NULL THEN 1 ELSE 0 END) AS failed
        FROM job_queue`;
  const row = rows[0];
  return {
    depth,
    lockedPastTimeout: Number(row?.locked ?? 0),
    readyForAMinute: Number(row?.ready ?? 0),
    failed: Number(row?.failed ?? 0),
  };
}

main().catch((error: unknown) => {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
