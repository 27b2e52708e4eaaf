// Settings page: the merchant's settings on the store row, and purging the store's synced data (also
// the API's DELETE …/stores/{shop_id}).
import { z } from "zod";
import { tenantDb } from "~/db/tenant.server";
import { retentionPolicy } from "~/privacy/retention.server";
import { updateStoreSettings } from "~/stores/store-connection.server";
import type { Store } from "./context.server";
import { cancelSyncJob } from "./sync-actions.server";

export const settingsInput = z.object({
  // At most monthly, at least hourly: the reconciliation pass costs Admin API points.
  reconcileEveryHours: z.coerce.number().int().min(1).max(720),
  orderHistoryDays: z.coerce.number().int().min(1).max(3650),
  retainDaysAfterUninstall: z.coerce.number().int().min(0).max(365),
});
export type SettingsInput = z.infer<typeof settingsInput>;

export function settingsView(store: Store) {
  return {
    reconcileEveryHours: store.reconcileEveryHours,
    orderHistoryDays: store.orderHistoryDays,
    retainDaysAfterUninstall: store.retainDaysAfterUninstall,
  };
}

/**
 * Retention set for the whole installation (WEBHOOK_BODY_RETENTION_DAYS,
 * IGNORED_WEBHOOK_RETENTION_HOURS), shown so the page says what is kept and for how long.
 */
export function retentionView() {
  const { bodyDays, ignoredHours } = retentionPolicy();
  return { webhookBodyRetentionDays: bodyDays, ignoredWebhookRetentionHours: ignoredHours };
}

export async function saveSettings(store: Store, input: SettingsInput) {
  return settingsView(await updateStoreSettings(store.id, input));
}

/**
 * Deletes everything Shop Sync mirrored for the store (products and variants, locations, inventory,
 * orders and line items, webhook deliveries and their audit trail, sync jobs and sync states) in one
 * transaction. The store connection itself stays: the app is still installed, and the next sync
 * starts from scratch. Customer data requests (privacy compliance records the merchant still has to
 * send on) are kept. Queued and running syncs are cancelled through the engine first, so they do not
 * write the data back while it goes.
 */
export async function purgeStoreData(store: Store) {
  const data = tenantDb(store.id);
  const active = await data.shopifySyncJob.findMany({
    where: { status: { in: ["queued", "running"] } },
    select: { id: true },
  });
  for (const job of active) {
    await cancelSyncJob(store.id, job.id);
  }
  // Children before parents, although the relations cascade, so every count is reported.
  const [lineItems, orders, inventoryLevels, variants, products, locations, webhookEvents, syncJobs, syncStates] =
    await data.$transaction([
      data.shopifyOrderLineItem.deleteMany(),
      data.shopifyOrder.deleteMany(),
      data.shopifyInventoryLevel.deleteMany(),
      data.shopifyProductVariant.deleteMany(),
      data.shopifyProduct.deleteMany(),
      data.shopifyLocation.deleteMany(),
      data.shopifyWebhookEvent.deleteMany(),
      data.shopifySyncJob.deleteMany(),
      data.shopifySyncState.deleteMany(),
    ]);
  return {
    products: products.count,
    variants: variants.count,
    locations: locations.count,
    inventoryLevels: inventoryLevels.count,
    orders: orders.count,
    lineItems: lineItems.count,
    webhookEvents: webhookEvents.count,
    syncJobs: syncJobs.count,
    syncStates: syncStates.count,
  };
}
