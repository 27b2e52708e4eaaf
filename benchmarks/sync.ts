// `npm run bench:sync -- --products 100000 --variants 5`: a full sync of products (with variants) from
// a seeded emulator into a fresh database, measured. Prints figures (JSON), not a pass/fail: wall time,
// rows/s, the sync process's peak RSS, API cost and throttled calls, and — on SQLite — the same rows
// inserted with one bare better-sqlite3 prepared statement in one transaction (the floor) and the
// ratio of the two. With DATABASE_URL=postgresql://… the sync runs into a fresh PostgreSQL database.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { createBaseDatabase, dropBaseDatabase, isPostgres, TEST_CACHE_DIR } from "../tests/support/test-database";
import { applyTestEnv } from "../tests/support/test-env";
import { installedOfflineSession } from "../tests/support/shopify-requests";

const { values } = parseArgs({
  options: {
    products: { type: "string", default: "10000" },
    variants: { type: "string", default: "5" },
    batch: { type: "string" },
  },
});
const products = Number(values.products);
const variants = Number(values.variants);
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

const { db, disconnectDatabase } = await import("~/db.server");
const { sessionStorage } = await import("~/shopify.server");
const { onAdminApiEvent } = await import("~/admin-api/events.server");
const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
const { startWorker } = await import("~/sync/queue.server");
const { onPermanentFailure, tasks } = await import("~/sync/tasks/index.server");
const { requestSync } = await import("~/sync/triggers.server");
const pino = (await import("pino")).default;

if (values.batch) fullSyncSettings.batchLines = Number(values.batch);
fullSyncSettings.firstPollMs = 100;
fullSyncSettings.maxPollMs = 1_000;
await sessionStorage.storeSession(installedOfflineSession(SHOP));
const store = await db.shopifyStore.create({ data: { shop: SHOP, grantedScopes: SCOPES.join(",") } });
let throttled = 0;
onAdminApiEvent((event) => {
  if (event.outcome === "throttled" || event.outcome === "http_429") throttled++;
});

global.gc?.();
const rssBefore = process.memoryUsage.rss();
let peakRss = rssBefore;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
const started = performance.now();
const worker = await startWorker({ tasks, onPermanentFailure, pollIntervalMs: 20, logger: pino({ level: "warn" }) });
const { job } = await requestSync(store.id, { kind: "full", resource: "products", trigger: "cli" });
let row = job;
while (["queued", "running"].includes(row.status)) {
  await new Promise((resolve) => setTimeout(resolve, 50));
  row = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
}
const wallMs = performance.now() - started;
clearInterval(sampler);
await worker.stop();
const rows = (await db.shopifyProduct.count()) + (await db.shopifyProductVariant.count());

// The floor: the same rows, read back, inserted by one prepared statement per table in one
// transaction into an empty copy of the schema. Only the inserts are timed.
let floor: { ms: number; ratio: number } | null = null;
if (!postgres) {
  await disconnectDatabase();
  const source = new Database(databaseUrl.replace(/^file:/, ""), { readonly: true });
  const tables = ["shopify_stores", "shopify_products", "shopify_product_variants"];
  const data = tables.map((table) => ({
    table,
    rows: source.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][],
  }));
  const columns = tables.map((table) =>
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
  for (const table of [...tables].reverse()) target.exec(`DELETE FROM "${table}"`);
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
  floor = { ms: Math.round(ms), ratio: Number((wallMs / ms).toFixed(2)) };
} else {
  await disconnectDatabase();
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
      peakRssMB: Math.round(peakRss / 1048576),
      rssBeforeSyncMB: Math.round(rssBefore / 1048576),
      apiCost: row.costSpent,
      throttled,
      floorMs: floor?.ms ?? null,
      ratioToFloor: floor?.ratio ?? null,
    },
    null,
    2,
  )}\n`,
);
process.exit(0);
