// The store connection: one shopify_stores row per shop that installed Shop Sync. Written on install
// (afterAuth) from the `shop` query; reinstalling reactivates the same row.
import type { ShopifyStore } from "@prisma/client";
import { db } from "~/db.server";
import type { ShopConnection } from "~/admin-api/shop.server";

export async function recordStoreConnection(
  shop: string,
  connection: ShopConnection,
  now = new Date(),
): Promise<ShopifyStore> {
  const { shop: details, appInstallation } = connection;
  const fields = {
    shopifyId: details.id,
    name: details.name,
    email: details.email,
    planName: details.plan?.publicDisplayName ?? null,
    currencyCode: details.currencyCode,
    ianaTimezone: details.ianaTimezone,
    primaryDomain: details.primaryDomain?.host ?? null,
    grantedScopes: appInstallation.accessScopes.map((scope) => scope.handle).join(","),
    status: "active",
    uninstalledAt: null,
    // A connection recorded is not yet an install finished: app/stores/install.server.ts clears it
    // once the store's syncs are ensured (so a reinstall interrupted here is finished later).
    installPendingSince: now,
  };
  return db.shopifyStore.upsert({
    where: { shop },
    create: { shop, installedAt: now, ...fields },
    // A reinstall keeps the original installedAt only while the store was never uninstalled: a
    // merchant who left and came back sees the new installation date.
    update: fields,
  });
}

/** The store of an authenticated shop, or null when the app was never installed there. */
export function findStoreByShop(shop: string): Promise<ShopifyStore | null> {
  return db.shopifyStore.findUnique({ where: { shop } });
}

/** The merchant's settings (Settings page), on the store row itself. */
export function updateStoreSettings(
  storeId: number,
  settings: { reconcileEveryHours: number; orderHistoryDays: number; retainDaysAfterUninstall: number },
): Promise<ShopifyStore> {
  return db.shopifyStore.update({ where: { id: storeId }, data: settings });
}
