// `npm run bench:processing -- [--deliveries 10000] [--runs 3]`: applying stored webhook deliveries,
// measured apart from ingest (issue 15, "processing keeps up"). Prints one JSON object.
//
// A fresh migrated database (SQLite by default; DATABASE_URL=postgresql://… for PostgreSQL) holds one
// installed store and --deliveries stored products/update and orders/create deliveries (the webhook
// benchmark's realistic bodies, benchmarks/webhook-deliveries.ts, every one about its own resource),
// written as ingest writes them: rows of shopify_webhook_events with status received, and the store's
// webhooks/process job. Then:
// - processing: the worker's task runs the job in this process (runUntilIdle) until every delivery is
//   processed: parse, map, newest-wins upserts, variant/line-item pruning, status and audit rows.
//   processed/s = deliveries / wall time.
// - floor, in the same run: the same deliveries' rows, parsed and mapped beforehand, written through
//   the bulk sync's batch writer into another store (one transaction per page, like processing),
//   nothing else: what processing would cost with no per-delivery work at all. ratio = processing /
//   floor.
// - mapping: the parse + map of every body alone (what processing spends before the database).
// Each phase runs --runs times on fresh rows; the median run is reported.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { parseArgs } from "node:util";
import { createBaseDatabase, dropBaseDatabase, isPostgres } from "../tests/support/test-database";
import { applyTestEnv } from "../tests/support/test-env";
import { makeDeliveries } from "./webhook-deliveries";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "10000" },
    runs: { type: "string", default: "3" },
  },
});
const count = Number(values.deliveries);
const runs = Number(values.runs);
const TARGET_PER_SECOND = 1000; // issue 15: processing sustains at least the acknowledged rate

applyTestEnv();
process.env.LOG_LEVEL = "warn";
process.env.WEBHOOK_BATCH_WINDOW_MS = "0";
// The app's own default: orders with the level-2 fields (.env.example).
process.env.CUSTOMER_DATA_LEVEL ??= "level2";
process.env.CUSTOMER_DATA_FIELDS ??= "name,email,phone,address";
const serverUrl = process.env.DATABASE_URL;
const postgres = isPostgres(serverUrl);
const databaseUrl = await createBaseDatabase(serverUrl);
process.env.DATABASE_URL = databaseUrl;
const log = (message: string) => process.stderr.write(`[bench:processing] ${message}\n`);

const { db, disconnectDatabase } = await import("~/db.server");
const { sqliteWriter } = await import("~/db/sqlite-connection.server");
const { runUntilIdle } = await import("~/sync/queue/queue.server");
const { onPermanentFailure, tasks } = await import("~/sync/tasks/index.server");
const { enqueueProcessing } = await import("~/sync/tasks/webhooks/process.server");
const { configuredCustomerData } = await import("~/sync/customer-data.server");
const { fromWebhook, parseWebhookBody } = await import("~/sync/engine/from-webhook");
const { writeOrders, writeProducts } = await import("~/sync/writer/shop-data.server");

const SCOPES = "read_products,read_inventory,read_locations,read_orders,read_all_orders";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const PAGE = 100; // the processing task's page size (app/sync/tasks/webhooks/process.server.ts)

async function freshStore(name: string) {
  return db.shopifyStore.create({
    data: { shop: `${name}.myshopify.com`, grantedScopes: SCOPES, orderHistoryDays: 3650 },
  });
}

/** Stores deliveries as ingest does (rows + the store's processing job); returns their bodies. */
async function storeDeliveries(store: { id: number; shop: string }, run: number) {
  const deliveries = makeDeliveries({ count, secret: "bench", shop: store.shop, webhookIdPrefix: `p${run}-`, run });
  const receivedAt = Date.now();
  for (let start = 0; start < deliveries.length; start += 500) {
    await db.shopifyWebhookEvent.createMany({
      data: deliveries.slice(start, start + 500).map((delivery, offset) => ({
        id: randomUUID(),
        storeId: store.id,
        shop: store.shop,
        webhookId: delivery.headers["x-shopify-webhook-id"] as string,
        topic: delivery.topic,
        rawBody: delivery.body.toString("utf8"),
        triggeredAt: new Date(delivery.headers["x-shopify-triggered-at"] as string),
        receivedAt: new Date(receivedAt + start + offset),
      })),
    });
  }
  await db.$transaction((tx) => enqueueProcessing(tx, { storeId: store.id, shop: store.shop }));
  return deliveries;
}

async function processingRun(run: number): Promise<number> {
  const store = await freshStore(`processing-${run}`);
  await storeDeliveries(store, run);
  const started = performance.now();
  await runUntilIdle({ tasks, onPermanentFailure });
  const seconds = (performance.now() - started) / 1000;
  const processed = await db.shopifyWebhookEvent.count({ where: { storeId: store.id, status: "processed" } });
  if (processed !== count) throw new Error(`processing run ${run}: ${processed} of ${count} processed`);
  return count / seconds;
}

function mapAll(bodies: ReturnType<typeof makeDeliveries>) {
  const policy = configuredCustomerData();
  return bodies.map((delivery) =>
    fromWebhook(
      delivery.topic,
      parseWebhookBody(delivery.body.toString("utf8")),
      { triggeredAt: new Date(delivery.headers["x-shopify-triggered-at"] as string) },
      policy,
    ),
  );
}

async function floorRun(run: number): Promise<{ floor: number; mapping: number }> {
  const store = await freshStore(`floor-${run}`);
  const bodies = makeDeliveries({
    count,
    secret: "bench",
    shop: store.shop,
    webhookIdPrefix: `f${run}-`,
    run: 500 + run,
  });
  const mapStarted = performance.now();
  const rows = mapAll(bodies);
  const mapping = count / ((performance.now() - mapStarted) / 1000);
  const started = performance.now();
  for (let start = 0; start < rows.length; start += PAGE) {
    const page = rows.slice(start, start + PAGE);
    await db.$transaction(async (prismaTx) => {
      const tx = sqliteWriter(prismaTx);
      const products = page.flatMap((r) => (r.kind === "product" ? [r.product] : []));
      const orders = page.flatMap((r) => (r.kind === "order" ? [r.order] : []));
      await writeProducts(tx, store.id, products, "bulk");
      await writeOrders(tx, store.id, orders, "bulk");
    });
  }
  return { floor: count / ((performance.now() - started) / 1000), mapping };
}

const loadBefore = os.loadavg().map((n) => Number(n.toFixed(2)));
const processing: number[] = [];
const floor: number[] = [];
const mapping: number[] = [];
for (let run = 1; run <= runs; run++) {
  // Alternated, so a busy moment of the machine weighs on both.
  log(`run ${run}/${runs}: processing ${count} deliveries`);
  processing.push(await processingRun(run));
  log(`run ${run}/${runs}: floor`);
  const f = await floorRun(run);
  floor.push(f.floor);
  mapping.push(f.mapping);
}
const processedPerSecond = Math.round(median(processing));
const floorPerSecond = Math.round(median(floor));
console.log(
  JSON.stringify(
    {
      benchmark: "webhook-processing",
      database: postgres ? "postgresql" : "sqlite",
      deliveries: count,
      runs,
      processedPerSecond,
      processedPerSecondRuns: processing.map(Math.round),
      floorPerSecond,
      floorPerSecondRuns: floor.map(Math.round),
      ratioToFloor: Number((processedPerSecond / floorPerSecond).toFixed(2)),
      mappedPerSecond: Math.round(median(mapping)),
      target: { processedPerSecond: TARGET_PER_SECOND, met: processedPerSecond >= TARGET_PER_SECOND },
      node: process.version,
      cpus: os.cpus().length,
      loadBefore,
      loadAfter: os.loadavg().map((n) => Number(n.toFixed(2))),
    },
    null,
    2,
  ),
);
await disconnectDatabase();
await dropBaseDatabase(databaseUrl);
