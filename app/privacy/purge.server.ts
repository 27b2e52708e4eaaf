// Purging a shop: everything Shop Sync holds for it goes — the store row (which cascades to every
// mirrored row, delivery, audit entry, sync job, sync state and data-request record), its sessions,
// and deliveries kept for the shop without a store (ignored). Used by shop/redact (for an uninstalled
// store only) and by the retention job (a store uninstalled longer than its "keep data after
// uninstall" setting), docs/decisions/0017-personal-data-and-retention.md.
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";

export async function purgeShop(store: { id: number; shop: string }, why: string): Promise<void> {
  await db.$transaction([
    db.session.deleteMany({ where: { shop: store.shop } }),
    db.shopifyWebhookEvent.deleteMany({ where: { shop: store.shop, storeId: null } }),
    db.shopifyStore.deleteMany({ where: { id: store.id } }),
  ]);
  logger.info({ shop: store.shop, why }, "privacy:shop purged");
}
