// `npm run bench:ui -- [--orders 1000000] [--products 100000] [--runs 50] [--warmup 5]`: the dashboard
// loader on a large shop, measured. Always SQLite (the default deployment; DATABASE_URL is ignored).
//
// A fresh migrated database gets one installed shop (store row and offline session written by the app)
// and is filled with bare better-sqlite3 prepared statements in a few transactions: --products products
// (1–2 variants each), 3 locations, an inventory level per variant and location, --orders orders spread
// over the last 365 days (realistic financial/fulfillment statuses, some test and cancelled ones, USD),
// line items for every 20th order, processed webhook deliveries and sync states. Values are stored the
// way Prisma stores them on SQLite (DateTime as ISO-8601 text with +00:00, checked against the store row
// Prisma wrote; BigInt as INTEGER; Json as TEXT; Boolean as 0/1).
//
// Then, in this process: the dashboard's data function (dashboardView, what the /app loader returns)
// --runs times after --warmup runs, p50/p95/max; each query it makes, timed alone the same way; the full
// loader (authenticate.admin with a session token, store lookup, dashboardView) once; and the floor: the
// cheapest indexed query the dashboard must make (count of the last 30 days' orders), bare
// better-sqlite3, timed the same way. Prints one JSON object with pass/fail against p95 < 100 ms.
import { statSync } from "node:fs";
import os from "node:os";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { createBaseDatabase, dropDatabase } from "../tests/support/test-database";
import { applyTestEnv } from "../tests/support/test-env";
import { embeddedDocumentRequest, installedOfflineSession } from "../tests/support/shopify-requests";

const { values } = parseArgs({
  options: {
    orders: { type: "string", default: "1000000" },
    products: { type: "string", default: "100000" },
    runs: { type: "string", default: "50" },
    warmup: { type: "string", default: "5" },
    keep: { type: "boolean", default: false },
  },
});
const ORDERS = Number(values.orders);
const PRODUCTS = Number(values.products);
const RUNS = Number(values.runs);
const WARMUP = Number(values.warmup);
const TARGET_P95_MS = 100;
const SHOP = "bench-ui.myshopify.com";
const DAY_MS = 86_400_000;
const HISTORY_DAYS = 365;
const LINE_ITEM_EVERY = 20;
const WEBHOOK_EVENTS = 20_000;

// stdout carries the one JSON report.
console.log = console.error;
console.info = console.error;
applyTestEnv();
process.env.LOG_LEVEL = "warn";
delete process.env.DATABASE_URL;
const databaseUrl = await createBaseDatabase(undefined);
process.env.DATABASE_URL = databaseUrl;
const file = databaseUrl.replace(/^file:/, "");

const { db, disconnectDatabase } = await import("~/db.server");
const { sessionStorage } = await import("~/shopify.server");
const { loader } = await import("~/routes/app._index");
const { dashboardView, storeStats, ordersPerDay, webhookHealth, STATS_WINDOW_DAYS } =
  await import("~/view-models/dashboard.server");
const { hasUnfinishedSync, lastSyncs, runningJobView } = await import("~/view-models/sync.server");
const { tenantDb } = await import("~/db/tenant.server");

// --- The shop, written by the app ---------------------------------------------------------------------
await sessionStorage.storeSession(installedOfflineSession(SHOP));
const store = await db.shopifyStore.create({
  data: {
    shop: SHOP,
    name: "Bench UI",
    currencyCode: "USD",
    ianaTimezone: "America/New_York",
    grantedScopes: "read_products,read_inventory,read_locations,read_orders,read_all_orders",
  },
});

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const now = Date.now();
const nowText = iso(now);
{
  // Prisma's own storage format, read back from the row it just wrote: ours must be the same.
  const check = new Database(file, { readonly: true });
  const raw = check.prepare(`SELECT installedAt FROM shopify_stores WHERE id = ?`).pluck().get(store.id) as string;
  check.close();
  if (raw !== iso(store.installedAt.getTime())) {
    throw new Error(`DateTime format differs from Prisma's: ${raw} vs ${iso(store.installedAt.getTime())}`);
  }
}

// --- The seed: bare prepared statements, few transactions ----------------------------------------------
// A deterministic generator (mulberry32), so every run seeds the same shop.
let seed = 0x5eed;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
function pick<T>(weighted: readonly (readonly [T, number])[]): T {
  let r = random();
  for (const [value, weight] of weighted) {
    if ((r -= weight) < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}
const minorToText = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;

const seedStarted = performance.now();
const writer = new Database(file);
writer.pragma("journal_mode = WAL");
writer.pragma("synchronous = OFF");
writer.pragma("cache_size = -262144");
const S = store.id;
const counts = {
  products: 0,
  variants: 0,
  locations: 3,
  inventoryLevels: 0,
  orders: 0,
  lineItems: 0,
  webhookEvents: 0,
};

const locationIds = [1, 2, 3].map((n) => `gid://shopify/Location/${70000000000 + n}`);
const variantRefs: { id: string; productId: string; sku: string; price: number; title: string }[] = [];
writer.transaction(() => {
  const location = writer.prepare(
    `INSERT INTO shopify_locations (storeId, shopifyId, name, isActive, address, shopifyUpdatedAt, syncedAt)
     VALUES (?, ?, ?, 1, ?, ?, ?)`,
  );
  ["Warehouse", "Store front", "Outlet"].forEach((name, i) =>
    location.run(S, locationIds[i], name, JSON.stringify({ city: "New York", countryCode: "US" }), nowText, nowText),
  );
  const product = writer.prepare(
    `INSERT INTO shopify_products (storeId, shopifyId, title, handle, vendor, productType, status, tags,
       shopifyCreatedAt, shopifyUpdatedAt, publishedAt, deletedAt, syncedAt, syncedBy)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sync')`,
  );
  const variant = writer.prepare(
    `INSERT INTO shopify_product_variants (storeId, shopifyId, productId, title, sku, price, position,
       inventoryItemId, inventoryPolicy, inventoryQuantity, selectedOptions, taxable, shopifyCreatedAt,
       shopifyUpdatedAt, syncedAt)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'DENY', ?, ?, 1, ?, ?, ?)`,
  );
  const level = writer.prepare(
    `INSERT INTO shopify_inventory_levels (storeId, inventoryItemId, locationId, shopifyId, available, onHand,
       committed, shopifyUpdatedAt, syncedAt)
     VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)`,
  );
  let variantNumber = 0;
  for (let p = 1; p <= PRODUCTS; p++) {
    const productId = `gid://shopify/Product/${8000000000000 + p}`;
    const created = now - Math.floor(random() * 3 * HISTORY_DAYS * DAY_MS);
    const updated = created + Math.floor(random() * (now - created));
    const status = pick([
      ["ACTIVE", 0.85],
      ["DRAFT", 0.1],
      ["ARCHIVED", 0.05],
    ] as const);
    const deleted = random() < 0.01 ? iso(updated) : null;
    const title = `Product ${p}`;
    product.run(
      S,
      productId,
      title,
      `product-${p}`,
      `Vendor ${p % 200}`,
      `Type ${p % 30}`,
      status,
      "bench",
      iso(created),
      iso(updated),
      status === "ACTIVE" ? iso(created) : null,
      deleted,
      nowText,
    );
    counts.products++;
    const variantCount = random() < 0.5 ? 1 : 2;
    for (let v = 1; v <= variantCount; v++) {
      variantNumber++;
      const id = `gid://shopify/ProductVariant/${40000000000000 + variantNumber}`;
      const inventoryItemId = `gid://shopify/InventoryItem/${45000000000000 + variantNumber}`;
      const price = 500 + Math.floor(random() * 19500);
      const sku = `SKU-${p}-${v}`;
      const stock = [0, 1, 2].map(() => Math.floor(random() * 50));
      variant.run(
        S,
        id,
        productId,
        variantCount === 1 ? "Default Title" : v === 1 ? "Small" : "Large",
        sku,
        minorToText(price),
        v,
        inventoryItemId,
        stock[0]! + stock[1]! + stock[2]!,
        JSON.stringify([{ name: "Size", value: v === 1 ? "Small" : "Large" }]),
        iso(created),
        iso(updated),
        nowText,
      );
      counts.variants++;
      if (variantRefs.length < 5000) variantRefs.push({ id, productId, sku, price, title });
      locationIds.forEach((locationId, i) => {
        level.run(
          S,
          inventoryItemId,
          locationId,
          `gid://shopify/InventoryLevel/${variantNumber}-${i}`,
          stock[i],
          stock[i],
          iso(updated),
          nowText,
        );
        counts.inventoryLevels++;
      });
    }
  }
})();

// Orders oldest first (the (storeId, shopifyCreatedAt) index grows at its end), ids of one length.
const order = writer.prepare(
  `INSERT INTO shopify_orders (storeId, shopifyId, name, orderNumber, email, customerId, customerFirstName,
     customerLastName, financialStatus, fulfillmentStatus, currencyCode, totalPrice, totalPriceMinor,
     subtotalPrice, totalTax, totalDiscounts, test, tags, processedAt, cancelledAt, cancelReason, closedAt,
     shopifyCreatedAt, shopifyUpdatedAt, syncedAt, syncedBy)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD', ?, ?, ?, ?, '0.00', ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'sync')`,
);
const lineItem = writer.prepare(
  `INSERT INTO shopify_order_line_items (storeId, shopifyId, orderId, productId, variantId, title, variantTitle,
     sku, quantity, currentQuantity, unitPrice, unitPriceMinor, orderUpdatedAt)
   VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?)`,
);
const historyStart = now - HISTORY_DAYS * DAY_MS;
const step = (HISTORY_DAYS * DAY_MS) / ORDERS;
const ORDER_BATCH = 100_000;
const insertOrders = writer.transaction((from: number, to: number) => {
  for (let i = from; i < to; i++) {
    const created = Math.floor(historyStart + i * step + random() * step);
    const ageDays = (now - created) / DAY_MS;
    const id = `gid://shopify/Order/${6000000000000 + i}`;
    const subtotal = 1000 + Math.floor(random() * 24000);
    const tax = Math.floor(subtotal * 0.08);
    const total = subtotal + tax;
    const cancelled = random() < 0.02;
    const test = random() < 0.005;
    const financial = cancelled
      ? pick([
          ["VOIDED", 0.6],
          ["REFUNDED", 0.4],
        ] as const)
      : pick([
          ["PAID", 0.85],
          ["PARTIALLY_REFUNDED", 0.03],
          ["REFUNDED", 0.04],
          ["PENDING", ageDays < 3 ? 0.05 : 0.01],
          ["AUTHORIZED", 0.07],
        ] as const);
    const fulfillment = cancelled
      ? null
      : ageDays < 2
        ? pick([
            ["UNFULFILLED", 0.7],
            ["PARTIALLY_FULFILLED", 0.1],
            ["FULFILLED", 0.2],
          ] as const)
        : pick([
            ["FULFILLED", 0.95],
            ["UNFULFILLED", 0.03],
            ["PARTIALLY_FULFILLED", 0.02],
          ] as const);
    const customer = Math.floor(random() * 200_000);
    const updated = Math.min(now, created + Math.floor(random() * 3 * DAY_MS));
    order.run(
      S,
      id,
      `#${1001 + i}`,
      1001 + i,
      `customer${customer}@example.com`,
      `gid://shopify/Customer/${7000000000000 + customer}`,
      "Customer",
      String(customer),
      financial,
      fulfillment,
      minorToText(total),
      total,
      minorToText(subtotal),
      minorToText(tax),
      test ? 1 : 0,
      iso(created),
      cancelled ? iso(updated) : null,
      cancelled ? "CUSTOMER" : null,
      fulfillment === "FULFILLED" ? iso(updated) : null,
      iso(created),
      iso(updated),
      nowText,
    );
    counts.orders++;
    if (i % LINE_ITEM_EVERY === 0) {
      const lines = 1 + Math.floor(random() * 2);
      for (let l = 0; l < lines; l++) {
        const v = variantRefs[Math.floor(random() * variantRefs.length)]!;
        const quantity = 1 + Math.floor(random() * 3);
        lineItem.run(
          S,
          `gid://shopify/LineItem/${16000000000000 + i * 2 + l}`,
          id,
          v.productId,
          v.id,
          v.title,
          v.sku,
          quantity,
          quantity,
          minorToText(v.price),
          v.price,
          iso(updated),
        );
        counts.lineItems++;
      }
    }
  }
});
for (let from = 0; from < ORDERS; from += ORDER_BATCH) insertOrders(from, Math.min(ORDERS, from + ORDER_BATCH));

writer.transaction(() => {
  const event = writer.prepare(
    `INSERT INTO shopify_webhook_events (id, storeId, shop, webhookId, topic, triggeredAt, apiVersion, headers,
       rawBody, status, attempts, lastError, receivedAt, processedAt)
     VALUES (?, ?, ?, ?, ?, ?, '2025-07', '{}', '{}', ?, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < WEBHOOK_EVENTS; i++) {
    const received = now - 7 * DAY_MS + Math.floor((i * 7 * DAY_MS) / WEBHOOK_EVENTS);
    const status = i % 2000 === 0 ? "dead" : i >= WEBHOOK_EVENTS - 3 ? "received" : "processed";
    event.run(
      `bench-event-${String(i).padStart(8, "0")}`,
      S,
      SHOP,
      `bench-webhook-${i}`,
      i % 3 === 0 ? "products/update" : "orders/create",
      iso(received - 500),
      status,
      status === "dead" ? 5 : 1,
      status === "dead" ? "bench: failed" : null,
      iso(received),
      status === "processed" ? iso(received + 50 + Math.floor(random() * 400)) : null,
    );
    counts.webhookEvents++;
  }
  const state = writer.prepare(
    `INSERT INTO shopify_sync_states (storeId, resource, lastFullSyncAt, lastIncrementalAt, updatedAt)
     VALUES (?, ?, ?, ?, ?)`,
  );
  for (const resource of ["products", "inventory", "orders"]) {
    state.run(S, resource, iso(now - 2 * DAY_MS), iso(now - 600_000), nowText);
  }
})();
writer.pragma("wal_checkpoint(TRUNCATE)");
writer.close();
const seedMs = performance.now() - seedStarted;

// --- Measurements ----------------------------------------------------------------------------------------
function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  const round = (ms: number) => Number(ms.toFixed(2));
  return { p50: round(at(0.5)), p95: round(at(0.95)), max: round(sorted[sorted.length - 1] ?? NaN) };
}
async function measure(run: () => unknown) {
  for (let i = 0; i < WARMUP; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return summary(samples);
}

const at = new Date();
const since = new Date(at.getTime() - STATS_WINDOW_DAYS * DAY_MS);
const dashboard = await measure(() => dashboardView(store, at));

// Each query alone (the dashboard runs them concurrently; on SQLite they share one connection).
const data = tenantDb(store.id);
const countedOrders = { shopifyCreatedAt: { gte: since }, test: false, cancelledAt: null };
const queries = {
  storeStats: await measure(() => storeStats(store, at)),
  "storeStats.products": await measure(() => data.shopifyProduct.count({ where: { deletedAt: null } })),
  "storeStats.variants": await measure(() =>
    Promise.all([
      data.shopifyProductVariant.count(),
      data.$queryRaw`SELECT count(*) AS n FROM shopify_products p CROSS JOIN shopify_product_variants v
        WHERE p."storeId" = ${store.id} AND p."deletedAt" IS NOT NULL
          AND v."storeId" = p."storeId" AND v."productId" = p."shopifyId"`,
    ]),
  ),
  "storeStats.locations": await measure(() => data.shopifyLocation.count({ where: { deletedAt: null } })),
  "storeStats.unitsInStock": await measure(() => data.shopifyInventoryLevel.aggregate({ _sum: { available: true } })),
  "storeStats.orders30d": await measure(() =>
    data.shopifyOrder.aggregate({ where: countedOrders, _count: { _all: true }, _sum: { totalPriceMinor: true } }),
  ),
  ordersPerDay: await measure(() => ordersPerDay(store, at)),
  webhookHealth: await measure(() => webhookHealth(store.id)),
  lastSyncs: await measure(() => lastSyncs(store)),
  runningJobView: await measure(() => runningJobView(store)),
  hasUnfinishedSync: await measure(() => hasUnfinishedSync(store.id)),
};

// The full loader once: session token verification, offline session and store lookups, then the data.
const request = await embeddedDocumentRequest("/app", SHOP);
const loaderStarted = performance.now();
const view = await loader({ request, params: {}, context: {} });
const loaderMs = performance.now() - loaderStarted;
if (!("stats" in view)) throw new Error("the loader did not return the dashboard");

// The floor: the cheapest indexed query the dashboard must make, bare better-sqlite3.
const reader = new Database(file, { readonly: true });
const floorStatement = reader.prepare(
  `SELECT count(*) FROM shopify_orders WHERE storeId = ? AND shopifyCreatedAt >= ?`,
);
const sinceText = iso(since.getTime());
const floorCount = floorStatement.pluck().get(S, sinceText) as number;
const floor = await measure(() => floorStatement.pluck().get(S, sinceText));
const plans = Object.fromEntries(
  (
    [
      ["floor", `SELECT count(*) FROM shopify_orders WHERE storeId = ? AND shopifyCreatedAt >= ?`],
      [
        "orders30d",
        `SELECT count(*), sum(totalPriceMinor) FROM shopify_orders
         WHERE storeId = ? AND shopifyCreatedAt >= ? AND test = 0 AND cancelledAt IS NULL`,
      ],
    ] as const
  ).map(([name, sql]) => [
    name,
    (reader.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(S, sinceText) as { detail: string }[])
      .map((row) => row.detail)
      .join("; "),
  ]),
);
reader.close();

const databaseBytes = statSync(file).size;
await disconnectDatabase();
if (!values.keep) await dropDatabase(databaseUrl);

process.stdout.write(
  `${JSON.stringify(
    {
      database: "sqlite",
      data: {
        ...counts,
        ordersInWindow: floorCount,
        windowDays: STATS_WINDOW_DAYS,
        databaseMb: Math.round(databaseBytes / 1e6),
      },
      seedSeconds: Number((seedMs / 1000).toFixed(1)),
      runs: RUNS,
      warmup: WARMUP,
      dashboardMs: dashboard,
      target: { p95Ms: TARGET_P95_MS },
      pass: dashboard.p95 < TARGET_P95_MS,
      queriesMs: queries,
      loaderOnceMs: Number(loaderMs.toFixed(2)),
      authOverheadMs: Number((loaderMs - dashboard.p50).toFixed(2)),
      floorMs: floor,
      floorQuery: "SELECT count(*) FROM shopify_orders WHERE storeId=? AND shopifyCreatedAt >= ? (bare better-sqlite3)",
      ratioToFloor: Number((dashboard.p95 / Math.max(floor.p95, 0.001)).toFixed(1)),
      plans,
      chartDays: view.chart.days.length,
      node: process.version,
      cpus: os.cpus().length,
      loadAverage: os.loadavg().map((load) => Number(load.toFixed(2))),
      keptDatabase: values.keep ? file : undefined,
    },
    null,
    2,
  )}\n`,
);
process.exit(0);
