// The dashboard's view model: the store connection, catalogue and order stats, orders and revenue per
// day, and sync health. Every query goes through tenantDb and is shaped to use the indexes in
// prisma/schema.prisma: counts and sums are aggregates in the database; the per-day series reads two
// columns of the last 30 days' orders through (storeId, shopifyCreatedAt) and buckets them in the
// shop's timezone here, because neither database can bucket by an IANA timezone the same way (SQLite
// has no timezone data).
import { tenantDb } from "~/db/tenant.server";
import type { Store } from "./context.server";
import { dayKey, formatCount, formatDateTime, formatDuration, formatMoneyMinor } from "./format";
import { lastSyncs, runningJobView } from "./sync.server";

export const STATS_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
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

/** The numbers behind the dashboard and `GET …/stats`, unformatted (bigint money in minor units). */
export async function storeStats(store: Store, now = new Date()) {
  const data = tenantDb(store.id);
  const since = new Date(now.getTime() - STATS_WINDOW_DAYS * DAY_MS);
  const [products, variants, locations, stock, orders] = await Promise.all([
    data.shopifyProduct.count({ where: { deletedAt: null } }),
    data.shopifyProductVariant.count({ where: { product: { deletedAt: null } } }),
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
    variants,
    locations,
    unitsInStock: stock._sum.available ?? 0,
    orders: orderCount,
    revenueMinor,
    // Integer division in minor units: the average is rounded down to the minor unit, never a float.
    averageOrderMinor: orderCount > 0 ? revenueMinor / BigInt(orderCount) : 0n,
  };
}

/** Orders and revenue per calendar day (shop timezone) over the stats window, oldest first, no gaps. */
export async function ordersPerDay(store: Store, now = new Date()) {
  const since = new Date(now.getTime() - STATS_WINDOW_DAYS * DAY_MS);
  const rows = await tenantDb(store.id).shopifyOrder.findMany({
    where: countedOrders(since),
    select: { shopifyCreatedAt: true, totalPriceMinor: true },
  });
  const days = new Map<string, { orders: number; revenueMinor: bigint }>();
  for (let at = since.getTime(); at <= now.getTime() + DAY_MS; at += DAY_MS) {
    const key = dayKey(new Date(Math.min(at, now.getTime())), store.ianaTimezone);
    days.set(key, { orders: 0, revenueMinor: 0n });
  }
  for (const row of rows) {
    const key = dayKey(row.shopifyCreatedAt, store.ianaTimezone);
    const day = days.get(key) ?? { orders: 0, revenueMinor: 0n };
    day.orders += 1;
    day.revenueMinor += BigInt(row.totalPriceMinor);
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
  const [stats, perDay, health, syncs, running] = await Promise.all([
    storeStats(store, now),
    ordersPerDay(store, now),
    webhookHealth(store.id),
    lastSyncs(store),
    runningJobView(store),
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
    chart: perDay.map((day) => ({
      day: day.day,
      orders: day.orders,
      // The chart scales bars by Number; the label keeps the exact amount.
      revenue: Number(day.revenueMinor),
      revenueLabel: formatMoneyMinor(day.revenueMinor, currency),
    })),
    sync: { ...syncs, running },
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
