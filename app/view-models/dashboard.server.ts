// The dashboard's view model: the store connection, catalogue and order stats, orders and revenue per
// day, and sync health. Every query goes through tenantDb and is shaped to use the indexes in
// prisma/schema.prisma, so the page stays fast on large shops (`npm run bench:ui`: 1,000,000 orders,
// 100,000 products): counts and sums are aggregates in the database, read from covering indexes; the
// per-day series is aggregated in SQL into UTC 15-minute buckets (a few thousand rows, not every order)
// and the buckets are folded into the shop's calendar days here, because neither database can bucket by
// an IANA timezone the same way (SQLite has no timezone data). Every UTC offset in the tz database is a
// whole number of quarter hours, so a 15-minute bucket lies within one local day: the fold is exact.
import { Prisma } from "@prisma/client";
import { resolveDatabase } from "~/db/database-url";
import { tenantDb } from "~/db/tenant.server";
import type { Store } from "./context.server";
import { formatCount, formatDateTime, formatDuration, formatMoneyMinor } from "./format";
import { ordersRevenueChartView } from "./orders-revenue-chart";
import { hasUnfinishedSync, lastSyncs, runningJobView } from "./sync.server";

export const STATS_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** The per-day series' SQL bucket, in seconds (see the top of this file). */
const BUCKET_SECONDS = 900;
// A literal in the SQL, not a parameter: a bound JavaScript number reaches SQLite as a REAL, and the
// division would then not truncate to a bucket.
const BUCKET_SQL = Prisma.raw(String(BUCKET_SECONDS));
/** How many recent processed deliveries the webhook lag is measured over. */
const LAG_SAMPLE = 200;

export function storeConnectionView(store: Store) {
  return {
    id: store.id,
    name: store.name ?? store.shop,
    shop: store.shop,
    domain: store.primaryDomain ?? store.shop,
    primaryDomain: store.primaryDomain,
    planName: store.planName,
    currencyCode: store.currencyCode,
    timezone: store.ianaTimezone,
    grantedScopes: store.grantedScopes.split(",").filter(Boolean),
    status: store.status,
    installedAt: store.installedAt.toISOString(),
    installedAtLabel: formatDateTime(store.installedAt, store.ianaTimezone),
  };
}

/** Orders counted in stats: real ones (not test orders) that were not cancelled. */
function countedOrders(since: Date) {
  return { shopifyCreatedAt: { gte: since }, test: false, cancelledAt: null };
}

/**
 * Variants of deleted products, driven from the (storeId, deletedAt) index: CROSS JOIN makes SQLite
 * start from the few deleted products (PostgreSQL plans it by its statistics). storeId is bound.
 */
async function variantsOfDeletedProducts(storeId: number): Promise<number> {
  const [row] = await tenantDb(storeId).$queryRaw<{ n: number | bigint }[]>`SELECT count(*) AS n
    FROM shopify_products p CROSS JOIN shopify_product_variants v
    WHERE p."storeId" = ${storeId} AND p."deletedAt" IS NOT NULL
      AND v."storeId" = p."storeId" AND v."productId" = p."shopifyId"`;
  return Number(row?.n ?? 0);
}

/** The numbers behind the dashboard and `GET …/stats`, unformatted (bigint money in minor units). */
export async function storeStats(store: Store, now = new Date()) {
  const data = tenantDb(store.id);
  const since = new Date(now.getTime() - STATS_WINDOW_DAYS * DAY_MS);
  const [products, allVariants, deletedProductVariants, locations, stock, orders] = await Promise.all([
    data.shopifyProduct.count({ where: { deletedAt: null } }),
    // Variants of products that are not deleted, as all variants less those of the (few) deleted
    // products: two index-only counts instead of a semi-join over every variant.
    data.shopifyProductVariant.count(),
    variantsOfDeletedProducts(store.id),
    data.shopifyLocation.count({ where: { deletedAt: null } }),
    data.shopifyInventoryLevel.aggregate({ _sum: { available: true } }),
    data.shopifyOrder.aggregate({
      where: countedOrders(since),
      _count: { _all: true },
      _sum: { totalPriceMinor: true },
    }),
  ]);
  const orderCount = orders._count._all;
  const revenueMinor = BigInt(orders._sum.totalPriceMinor ?? 0n);
  return {
    since,
    until: now,
    products,
    variants: allVariants - deletedProductVariants,
    locations,
    unitsInStock: stock._sum.available ?? 0,
    orders: orderCount,
    revenueMinor,
    // Integer division in minor units: the average is rounded down to the minor unit, never a float.
    averageOrderMinor: orderCount > 0 ? revenueMinor / BigInt(orderCount) : 0n,
  };
}

/** YYYY-MM-DD in a timezone; one formatter per call of ordersPerDay (creating one is the costly part). */
function dayKeyFormatter(timeZone: string | null) {
  // en-CA formats dates as YYYY-MM-DD.
  const format = new Intl.DateTimeFormat("en-CA", {
    timeZone: timeZone ?? "UTC",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  });
  return (value: Date) => format.format(value);
}

/**
 * Counted orders since `since` per UTC 15-minute bucket (bucket = seconds since the epoch / 900), in SQL:
 * tenant-scoped (storeId is a bound parameter) and served by the covering index
 * (storeId, test, cancelledAt, shopifyCreatedAt, totalPriceMinor).
 */
async function countedOrdersPerBucket(storeId: number, since: Date) {
  const postgres = resolveDatabase(process.env.DATABASE_URL).provider === "postgresql";
  const rows = await tenantDb(storeId).$queryRaw<
    { bucket: number | bigint; orders: number | bigint; revenue: string | null }[]
  >(
    postgres
      ? Prisma.sql`SELECT floor(extract(epoch FROM "shopifyCreatedAt") / ${BUCKET_SQL})::bigint AS bucket,
            count(*) AS orders, sum("totalPriceMinor")::text AS revenue
          FROM shopify_orders
          WHERE "storeId" = ${storeId} AND "test" = false AND "cancelledAt" IS NULL AND "shopifyCreatedAt" >= ${since}
          GROUP BY 1`
      : // Prisma stores DateTime on SQLite as ISO-8601 text ending in +00:00: compared as text, in order.
        Prisma.sql`SELECT unixepoch("shopifyCreatedAt") / ${BUCKET_SQL} AS bucket,
            count(*) AS orders, CAST(sum("totalPriceMinor") AS TEXT) AS revenue
          FROM shopify_orders
          WHERE "storeId" = ${storeId} AND "test" = 0 AND "cancelledAt" IS NULL
            AND "shopifyCreatedAt" >= ${since.toISOString().replace("Z", "+00:00")}
          GROUP BY 1`,
  );
  return rows.map((row) => ({
    startMs: Number(row.bucket) * BUCKET_SECONDS * 1000,
    orders: Number(row.orders),
    revenueMinor: BigInt(row.revenue ?? 0),
  }));
}

/** Orders and revenue per calendar day (shop timezone) over the stats window, oldest first, no gaps. */
export async function ordersPerDay(store: Store, now = new Date()) {
  const since = new Date(now.getTime() - STATS_WINDOW_DAYS * DAY_MS);
  const buckets = await countedOrdersPerBucket(store.id, since);
  const dayKey = dayKeyFormatter(store.ianaTimezone);
  const days = new Map<string, { orders: number; revenueMinor: bigint }>();
  for (let at = since.getTime(); at <= now.getTime() + DAY_MS; at += DAY_MS) {
    const key = dayKey(new Date(Math.min(at, now.getTime())));
    days.set(key, { orders: 0, revenueMinor: 0n });
  }
  for (const bucket of buckets) {
    // The first bucket may start before `since`; its orders do not, and lie in since's local day.
    const key = dayKey(new Date(Math.max(bucket.startMs, since.getTime())));
    const day = days.get(key) ?? { orders: 0, revenueMinor: 0n };
    day.orders += bucket.orders;
    day.revenueMinor += bucket.revenueMinor;
    days.set(key, day);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, value]) => ({ day, ...value }));
}

/** Webhook health: lag received→processed over the latest processed deliveries, backlog, dead letters. */
export async function webhookHealth(storeId: number) {
  const data = tenantDb(storeId);
  const [recent, backlog, dead, oldestWaiting] = await Promise.all([
    data.shopifyWebhookEvent.findMany({
      where: { status: "processed" },
      orderBy: { receivedAt: "desc" },
      take: LAG_SAMPLE,
      select: { receivedAt: true, processedAt: true },
    }),
    data.shopifyWebhookEvent.count({ where: { status: { in: ["received", "processing", "failed"] } } }),
    data.shopifyWebhookEvent.count({ where: { status: "dead" } }),
    data.shopifyWebhookEvent.findFirst({
      where: { status: { in: ["received", "processing", "failed"] } },
      orderBy: { receivedAt: "asc" },
      select: { receivedAt: true },
    }),
  ]);
  const lags = recent
    .flatMap((event) => (event.processedAt ? [event.processedAt.getTime() - event.receivedAt.getTime()] : []))
    .sort((a, b) => a - b);
  const percentile = (p: number) =>
    lags.length ? (lags[Math.min(lags.length - 1, Math.floor(p * lags.length))] ?? null) : null;
  return {
    sampled: lags.length,
    medianLagMs: percentile(0.5),
    p95LagMs: percentile(0.95),
    backlog,
    dead,
    oldestWaitingAt: oldestWaiting?.receivedAt ?? null,
  };
}

export async function dashboardView(store: Store, now = new Date()) {
  const currency = store.currencyCode ?? "USD";
  const [stats, perDay, health, syncs, running, syncing] = await Promise.all([
    storeStats(store, now),
    ordersPerDay(store, now),
    webhookHealth(store.id),
    lastSyncs(store),
    runningJobView(store),
    hasUnfinishedSync(store.id),
  ]);
  return {
    store: storeConnectionView(store),
    stats: {
      windowDays: STATS_WINDOW_DAYS,
      products: formatCount(stats.products),
      variants: formatCount(stats.variants),
      locations: formatCount(stats.locations),
      unitsInStock: formatCount(stats.unitsInStock),
      orders: formatCount(stats.orders),
      revenue: formatMoneyMinor(stats.revenueMinor, currency),
      averageOrderValue: stats.orders > 0 ? formatMoneyMinor(stats.averageOrderMinor, currency) : null,
      hasCurrency: store.currencyCode !== null,
    },
    chart: ordersRevenueChartView(perDay, currency),
    sync: { ...syncs, running, syncing },
    webhooks: {
      sampled: health.sampled,
      medianLag: formatDuration(health.medianLagMs),
      p95Lag: formatDuration(health.p95LagMs),
      backlog: health.backlog,
      dead: health.dead,
      oldestWaiting: formatDateTime(health.oldestWaitingAt, store.ianaTimezone),
    },
  };
}
