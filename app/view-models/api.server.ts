// The JSON API's resource shapes (docs/api/openapi.yaml). Money is given as integer minor units in a
// string (exact past 2^53) plus the formatted text; dates as ISO-8601.
import type { Store } from "./context.server";
import { storeStats } from "./dashboard.server";
import { formatMoneyMinor } from "./format";

export function storeResource(store: Store) {
  return {
    id: store.id,
    shop: store.shop,
    shopifyId: store.shopifyId,
    name: store.name,
    planName: store.planName,
    currencyCode: store.currencyCode,
    ianaTimezone: store.ianaTimezone,
    primaryDomain: store.primaryDomain,
    grantedScopes: store.grantedScopes.split(",").filter(Boolean),
    status: store.status,
    installedAt: store.installedAt.toISOString(),
    settings: {
      reconcileEveryHours: store.reconcileEveryHours,
      orderHistoryDays: store.orderHistoryDays,
      retainDaysAfterUninstall: store.retainDaysAfterUninstall,
    },
  };
}

function money(minor: bigint, currencyCode: string | null) {
  return { minor: minor.toString(), formatted: currencyCode ? formatMoneyMinor(minor, currencyCode) : null };
}

export async function statsResource(store: Store, now = new Date()) {
  const stats = await storeStats(store, now);
  return {
    storeId: store.id,
    currencyCode: store.currencyCode,
    window: { from: stats.since.toISOString(), to: stats.until.toISOString() },
    products: stats.products,
    variants: stats.variants,
    locations: stats.locations,
    unitsInStock: stats.unitsInStock,
    orders: stats.orders,
    revenue: money(stats.revenueMinor, store.currencyCode),
    averageOrderValue: stats.orders > 0 ? money(stats.averageOrderMinor, store.currencyCode) : null,
  };
}
