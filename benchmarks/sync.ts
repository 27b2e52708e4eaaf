// `npm run bench:sync -- --products 100000 --variants 5`: a full sync of products (with variants) from
// a seeded emulator into a fresh database, measured. Prints figures (JSON), not a pass/fail: wall time
// (split into the bulk operation's run on "Shopify" and the consume: download, parse, write), rows/s,
// the sync process's RSS before the sync and at its peak, API cost and throttled calls, and the same
// rows inserted by a bare driver in one transaction (the floor) with the ratios to it — on SQLite one
// better-sqlite3 prepared statement, on PostgreSQL (DATABASE_URL=postgresql://…) multi-row INSERTs
// through `pg`.
//
// Then an incremental catch-up: `--changed` products (default: all, at most 10,000) are edited in the
// emulator and the incremental products sync reads them back through the paced Admin client. Printed:
// the API points it was charged per second, as a fraction of the bucket's restore rate, over the
// paced part of the run (from the first request the client had to hold for the bucket; before that
// it spends the bucket's initial fill, which says nothing about pacing).
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import pg from "pg";
import {
  cloneDatabase,
  createBaseDatabase,
  dropBaseDatabase,
  dropDatabase,
  isPostgres,
  TEST_CACHE_DIR,
} from "../tests/support/test-database";
import { applyTestEnv } from "../tests/support/test-env";
import { installedOfflineSession } from "../tests/support/shopify-requests";

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    variants: { type: "string", default: "5" },
    batch: { type: "string" },
    changed: { type: "string" },
  },
});
const products = Number(values.products);
const variants = Number(values.variants);
const changed = Math.min(products, Number(values.changed ?? 10_000));
const SHOP = "bench-sync.myshopify.com";
const SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders", "read_all_orders"];

applyTestEnv();
process.env.LOG_LEVEL = "warn";
const serverUrl = process.env.DATABASE_URL;
const postgres = isPostgres(serverUrl);
const databaseUrl = await createBaseDatabase(serverUrl);
process.env.DATABASE_URL = databaseUrl;

// The emulator in its own process (its seeded store is not the sync's memory).
const emulatorProcess = spawn(process.execPath, ["--import", "tsx", path.resolve("benchmarks/emulator-process.ts")], {
  env: {
    ...process.env,
    BENCH_EMULATOR: JSON.stringify({
      shop: SHOP,
      token: installedOfflineSession(SHOP).accessToken,
      products,
      variants,
      apiKey: process.env.SHOPIFY_API_KEY,
      apiSecret: process.env.SHOPIFY_API_SECRET,
      scopes: SCOPES,
    }),
  },
  stdio: ["ignore", "pipe", "inherit"],
});
const emulatorUrl = await new Promise<string>((resolve, reject) => {
  let out = "";
  emulatorProcess.stdout?.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    const line = out.split("\n").find((l) => l.startsWith("{"));
    if (line) resolve((JSON.parse(line) as { url: string }).url);
  });
  emulatorProcess.once("exit", (code) => reject(new Error(`emulator exited (${code})`)));
});
process.env.SHOPIFY_EMULATOR_URL = emulatorUrl;
// A failed run must not leave the emulator behind (it holds this process's stderr open).
process.once("exit", () => emulatorProcess.kill("SIGTERM"));

const { db, disconnectDatabase } = await import("~/db.server");
const { sessionStorage } = await import("~/shopify.server");
const { onAdminApiEvent } = await import("~/admin-api/events.server");
const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
const { startWorker } = await import("~/sync/queue/queue.server");
const { onPermanentFailure, tasks } = await import("~/sync/tasks/index.server");
const { requestSync } = await import("~/sync/triggers.server");
const pino = (await import("pino")).default;

if (values.batch) fullSyncSettings.batchLines = Number(values.batch);
fullSyncSettings.firstPollMs = 100;
// In production bulk_operations/finish wakes the job when the operation completes; the benchmark's
// emulator sends no webhooks, so frequent polls stand in for it (each costs 1 point).
fullSyncSettings.maxPollMs = 200;
await sessionStorage.storeSession(installedOfflineSession(SHOP));
// read_all_orders and ten years of order history (app/sync/order-history.ts): every seeded order is read.
const store = await db.shopifyStore.create({
  data: { shop: SHOP, grantedScopes: SCOPES.join(","), orderHistoryDays: 3650 },
});
let throttled = 0;
/** Every Admin API answer with its time: the last one of the full sync is the poll that saw COMPLETED. */
const apiCalls: Array<{ at: number; cost: number; pacedMs: number; restoreRate: number | null; throttled: boolean }> =
  [];
onAdminApiEvent((event) => {
  const wasThrottled = event.outcome === "throttled" || event.outcome === "http_429";
  if (wasThrottled) throttled++;
  apiCalls.push({
    at: performance.now(),
    cost: event.cost?.actualQueryCost ?? 0,
    pacedMs: event.pacedMs,
    restoreRate: event.cost?.throttleStatus.restoreRate ?? null,
    throttled: wasThrottled,
  });
});

global.gc?.();
const rssBefore = process.memoryUsage.rss();
let peakRss = rssBefore;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
const started = performance.now();
const worker = await startWorker({ tasks, onPermanentFailure, pollIntervalMs: 20, logger: pino({ level: "warn" }) });
const waitFor = async (jobId: string) => {
  let current = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: jobId } });
  while (["queued", "running"].includes(current.status)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    current = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: jobId } });
  }
  return current;
};
const { job } = await requestSync(store.id, { kind: "full", resource: "products", trigger: "cli" });
const row = await waitFor(job.id);
const wallMs = performance.now() - started;
clearInterval(sampler);
const bulkOperationMs = (apiCalls.at(-1)?.at ?? started) - started;
const rows = (await db.shopifyProduct.count()) + (await db.shopifyProductVariant.count());

const FLOOR_TABLES = ["shopify_stores", "shopify_products", "shopify_product_variants"];
const catchUp = await measureCatchUp();
await worker.stop();
await disconnectDatabase();
const floor = postgres ? await postgresFloor() : sqliteFloor();

async function measureCatchUp() {
  if (row.status !== "succeeded" || changed <= 0) return null;
  // Edit products in the emulator (its control API), a few requests at a time.
  const ids = (await db.shopifyProduct.findMany({ select: { shopifyId: true }, take: changed })).map(
    (p) => p.shopifyId,
  );
  const edit = async (id: string) => {
    const numeric = id.split("/").pop() ?? id;
    const response = await fetch(`${emulatorUrl}/__emulator/shops/${SHOP}/products/${numeric}`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: `Changed ${numeric}` }),
    });
    if (!response.ok) throw new Error(`emulator: editing ${id} answered ${response.status}`);
  };
  for (let i = 0; i < ids.length; i += 16) await Promise.all(ids.slice(i, i + 16).map(edit));
  const from = apiCalls.length;
  const catchUpStarted = performance.now();
  const { job: incremental } = await requestSync(store.id, {
    kind: "incremental",
    resource: "products",
    trigger: "cli",
  });
  const done = await waitFor(incremental.id);
  const calls = apiCalls.slice(from);
  const restoreRate = calls.find((call) => call.restoreRate)?.restoreRate ?? null;
  const firstPaced = calls.findIndex((call) => call.pacedMs > 0);
  const last = calls.at(-1);
  // Points charged from the first paced request on, over the time since the answer before it (when
  // the client began waiting for the bucket) up to the last answer.
  let fraction: number | null = null;
  if (restoreRate && firstPaced > 0 && last) {
    const window = calls.slice(firstPaced);
    const seconds = (last.at - (calls[firstPaced - 1]?.at ?? catchUpStarted)) / 1000;
    const points = window.reduce((sum, call) => sum + call.cost, 0);
    fraction = Number((points / seconds / restoreRate).toFixed(3));
  }
  const points = calls.reduce((sum, call) => sum + call.cost, 0);
  return {
    status: done.status,
    productsChanged: ids.length,
    productsRead: done.doneCount,
    calls: calls.length,
    pacedCalls: calls.filter((call) => call.pacedMs > 0).length,
    throttled: calls.filter((call) => call.throttled).length,
    points,
    ms: Math.round(performance.now() - catchUpStarted),
    restoreRate,
    restoreRateFraction: fraction,
  };
}

// The floor: the same rows, read back, inserted into an empty copy of the schema in one transaction
// by the bare driver. Only the inserts are timed.

function sqliteFloor() {
  const source = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true });
  const data = FLOOR_TABLES.map((table) => ({
    table,
    rows: source.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][],
  }));
  const columns = FLOOR_TABLES.map((table) =>
    source
      .prepare(`SELECT * FROM "${table}" LIMIT 1`)
      .columns()
      .map((c) => c.name),
  );
  source.close();
  mkdirSync(path.join(TEST_CACHE_DIR, "bench"), { recursive: true });
  const floorFile = path.join(TEST_CACHE_DIR, "bench", `floor-${process.pid}.sqlite`);
  copyFileSync(databaseUrl.replace(/^file:/, ""), floorFile);
  const target = new Database(floorFile);
  target.pragma("journal_mode = WAL");
  for (const table of [...FLOOR_TABLES].reverse()) target.exec(`DELETE FROM "${table}"`);
  const inserts = data.map(({ table }, i) =>
    target.prepare(
      `INSERT INTO "${table}" (${(columns[i] ?? []).map((c) => `"${c}"`).join(", ")}) VALUES (${(columns[i] ?? []).map(() => "?").join(", ")})`,
    ),
  );
  const floorStarted = performance.now();
  target.transaction(() => {
    data.forEach(({ rows: tableRows }, i) => {
      for (const values of tableRows) inserts[i]?.run(values);
    });
  })();
  const ms = performance.now() - floorStarted;
  target.close();
  rmSync(floorFile, { force: true });
  return ms;
}

async function postgresFloor() {
  const JSON_OID = 114;
  const JSONB_OID = 3802;
  const floorUrl = await cloneDatabase(databaseUrl, "floor");
  const source = new pg.Client({ connectionString: databaseUrl });
  const target = new pg.Client({ connectionString: floorUrl });
  await Promise.all([source.connect(), target.connect()]);
  try {
    await target.query(`TRUNCATE ${[...FLOOR_TABLES].map((t) => `"${t}"`).join(", ")} CASCADE`);
    // The rows are read a page at a time (a 100,000-product shop's rows do not fit the 1 GiB heap npm
    // gives this process, ADR 0014); only the INSERTs are timed, all in one transaction.
    const PAGE_ROWS = 20_000;
    let insertMs = 0;
    await target.query("BEGIN");
    for (const table of FLOOR_TABLES) {
      for (let offset = 0; ; offset += PAGE_ROWS) {
        const result = await source.query({
          text: `SELECT * FROM "${table}" ORDER BY ctid LIMIT ${PAGE_ROWS} OFFSET ${offset}`,
          rowMode: "array",
        });
        if (result.rows.length === 0) break;
        // pg sends a JS array as a PostgreSQL array literal: json/jsonb values go as their JSON text.
        const json = result.fields.map((field) => field.dataTypeID === JSON_OID || field.dataTypeID === JSONB_OID);
        const columns = result.fields.map((field) => field.name);
        const tableRows = (result.rows as unknown[][]).map((values) =>
          values.map((value, i) => (json[i] && value !== null ? JSON.stringify(value) : value)),
        );
        const started = performance.now();
        // As many rows per statement as PostgreSQL's 65,535 bound parameters allow.
        const perStatement = Math.floor(65_535 / columns.length);
        for (let start = 0; start < tableRows.length; start += perStatement) {
          const chunk = tableRows.slice(start, start + perStatement);
          const values = chunk.map(
            (_, r) => `(${columns.map((_column, c) => `$${r * columns.length + c + 1}`).join(", ")})`,
          );
          await target.query(
            `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES ${values.join(", ")}`,
            chunk.flat(),
          );
        }
        insertMs += performance.now() - started;
      }
    }
    const started = performance.now();
    await target.query("COMMIT");
    return insertMs + (performance.now() - started);
  } finally {
    await Promise.all([source.end(), target.end()]);
    await dropDatabase(floorUrl);
  }
}

emulatorProcess.kill("SIGTERM");
await dropBaseDatabase(databaseUrl);
process.stdout.write(
  `${JSON.stringify(
    {
      database: postgres ? "postgresql" : "sqlite",
      products,
      variantsPerProduct: variants,
      batchLines: fullSyncSettings.batchLines,
      status: row.status,
      error: row.error,
      rows,
      linesInFile: row.totalCount,
      wallMs: Math.round(wallMs),
      rowsPerSecond: Math.round(rows / (wallMs / 1000)),
      bulkOperationMs: Math.round(bulkOperationMs),
      consumeMs: Math.round(wallMs - bulkOperationMs),
      peakRssMB: Math.round(peakRss / 1048576),
      rssBeforeSyncMB: Math.round(rssBefore / 1048576),
      apiCost: row.costSpent,
      throttled,
      floorMs: Math.round(floor),
      ratioToFloor: Number((wallMs / floor).toFixed(2)),
      consumeRatioToFloor: Number(((wallMs - bulkOperationMs) / floor).toFixed(2)),
      catchUp,
    },
    null,
    2,
  )}\n`,
);
process.exit(0);
