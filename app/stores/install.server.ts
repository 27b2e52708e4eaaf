// Finishing an install, whatever interrupted it. The library stores the offline session after token
// exchange and then calls afterAuth once; if afterAuth fails (the `shop` query, a database write),
// the next requests find a valid session and never call it again. So an install is finished here, by
// one function every entry point calls: afterAuth itself, every page load and API call
// (app/view-models/context.server.ts), and webhook processing (app/sync/tasks/webhooks/process.server.ts).
// An install is unfinished when the shop has an offline session (it is installed: app/uninstalled
// deletes them) but no store row, a store row that is not active (a reinstall), or a store row with
// installPendingSince set (created for a webhook, or recorded but its syncs not yet ensured).
import type { Prisma, ShopifyStore } from "@prisma/client";
import type { AdminGraphqlClient } from "~/admin-api/client.server";
import { fetchShopConnection } from "~/admin-api/shop.server";
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";
import { findStoreByShop, recordStoreConnection } from "~/stores/store-connection.server";
import { onShopAuthenticated } from "~/sync/triggers.server";

/** A prisma client or transaction: ingest asks inside its own transaction. */
type Db = Prisma.TransactionClient;

export function installIsUnfinished(store: Pick<ShopifyStore, "status" | "installPendingSince"> | null): boolean {
  return !store || store.status !== "active" || store.installPendingSince !== null;
}

/**
 * Records the store connection from the `shop` query and ensures the store's syncs (the first full
 * sync, the reconciliation chain), then marks the install finished. Idempotent: afterAuth runs it on
 * every token exchange, and it repairs what an earlier, interrupted run left undone.
 */
export async function completeInstall(shop: string, client: AdminGraphqlClient): Promise<ShopifyStore> {
  const connection = await fetchShopConnection(client);
  await recordStoreConnection(shop, connection);
  await onShopAuthenticated(shop);
  const store = await db.shopifyStore.update({ where: { shop }, data: { installPendingSince: null } });
  logger.info({ shop, storeId: store.id }, "install:completed");
  return store;
}

// One completion per shop at a time in this process: a document load runs the layout's and the
// page's loaders at once, and both would otherwise query the shop and request the same syncs.
const completing = new Map<string, Promise<ShopifyStore>>();

function completeOnce(shop: string, client: () => AdminGraphqlClient): Promise<ShopifyStore> {
  const pending = completing.get(shop);
  if (pending) return pending;
  const run = completeInstall(shop, client()).finally(() => completing.delete(shop));
  completing.set(shop, run);
  return run;
}

/**
 * The store of an authenticated shop (it has an offline session), its install finished first when it
 * is unfinished. If finishing fails again the failure is logged and the store is returned as it is
 * (null when there is none yet): the next request tries again.
 */
export async function storeOfAuthenticatedShop(
  shop: string,
  client: () => AdminGraphqlClient,
): Promise<ShopifyStore | null> {
  const store = await findStoreByShop(shop);
  if (!installIsUnfinished(store)) return store;
  try {
    return await completeOnce(shop, client);
  } catch (error) {
    logger.error({ shop, err: error }, "install:unfinished (retried on the next request)");
    return store;
  }
}

/**
 * Webhook processing's step: finishes the install of the store's shop when it is unfinished and the
 * shop has an offline session. Throws when it cannot and the store is not active (its deliveries
 * would otherwise be ignored as "uninstalled"): the processing job is retried with backoff.
 */
export async function finishInstallForProcessing(
  store: Pick<ShopifyStore, "shop" | "status" | "installPendingSince">,
  client: () => AdminGraphqlClient,
): Promise<void> {
  if (!installIsUnfinished(store)) return;
  if (!(await hasOfflineSession(db, store.shop))) return; // uninstalled: nothing to finish
  try {
    await completeOnce(store.shop, client);
  } catch (error) {
    if (store.status !== "active") throw error;
    logger.warn({ shop: store.shop, err: error }, "install:unfinished (deliveries applied; retried later)");
  }
}

async function hasOfflineSession(tx: Db, shop: string): Promise<boolean> {
  return (await tx.session.count({ where: { shop, isOnline: false } })) > 0;
}

/**
 * Which shops of a batch of deliveries are known, as store ids: shops with a store row, and shops
 * with an offline session but no store row yet (an install whose afterAuth failed), for which a
 * pending store row is created here so their deliveries are kept and processed (processing then
 * finishes the install). Any other shop is unknown (its deliveries are stored as ignored).
 */
export async function knownStoreIds(tx: Db, shops: readonly string[]): Promise<Map<string, number>> {
  const stores = await tx.shopifyStore.findMany({
    where: { shop: { in: [...shops] } },
    select: { id: true, shop: true },
  });
  const known = new Map(stores.map((store) => [store.shop, store.id]));
  const missing = shops.filter((shop) => !known.has(shop));
  if (missing.length === 0) return known;
  const sessions = await tx.session.findMany({
    where: { shop: { in: missing }, isOnline: false },
    select: { shop: true },
    distinct: ["shop"],
  });
  for (const { shop } of sessions) {
    const store = await tx.shopifyStore.upsert({
      where: { shop },
      create: { shop, installPendingSince: new Date() },
      update: {},
      select: { id: true },
    });
    known.set(shop, store.id);
  }
  return known;
}
