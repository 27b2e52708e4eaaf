// Reconciliation: the scheduled pass that catches what webhooks missed. For one resource it runs
//   1. an incremental pass (updates and creations since the cursor), then
//   2. a full comparison of ids: every id Shopify has (id-only pages, app/admin-api/operations/) against the rows
//      we hold; rows Shopify no longer has are removed — products tombstoned (`deletedAt`, so a late
//      update cannot resurrect them), orders and inventory levels deleted, locations marked deleted —
//   3. and records `lastReconciledAt`.
//
// A row updated (or created) after the id listing began is never removed: it may be newer than the
// listing (a product created by a webhook while we paged), and the next pass will see it.
// Orders are compared only inside the window we mirror (app/sync/order-history.ts: the store's
// setting, at most 60 days without read_all_orders), because Shopify hides older orders from us, which
// must not read as "deleted". At customer-data level `none` the app holds no orders to compare.
// Ids are held in memory: about 100 bytes an id, so a million rows is ~100 MB at most.
import { z } from "zod";
import type { AdminGraphqlClient } from "~/admin-api/client.server";
import { db } from "~/db.server";
import { progressSyncJob, type SyncResource } from "~/sync/jobs.server";
import { chunks, tombstoneProducts } from "~/sync/writer/removals.server";
import {
  orderHistoryStart,
  PAGE_SIZE,
  runIncrementalSync,
  searchTime,
  type SyncStore,
} from "~/sync/incremental/incremental.server";
import { syncsOrders, type CustomerDataPolicy } from "~/sync/engine/customer-data";
import { configuredCustomerData } from "~/sync/customer-data.server";
import {
  INVENTORY_LEVEL_IDS_PAGE_QUERY,
  LOCATION_IDS_PAGE_QUERY,
  ORDER_IDS_PAGE_QUERY,
  PRODUCT_IDS_PAGE_QUERY,
} from "~/admin-api/operations";

export interface ReconcileOptions {
  store: SyncStore;
  resource: SyncResource;
  client: AdminGraphqlClient;
  syncJobId?: string;
  signal?: AbortSignal;
  now?: () => Date;
  /** What the app may read of customers; default: the configured policy. */
  customerData?: CustomerDataPolicy;
}

export interface ReconcileResult {
  /** Rows the incremental pass read. */
  updated: number;
  /** Ids Shopify listed. */
  listed: number;
  /** Rows removed (tombstoned, deleted or marked deleted). */
  removed: number;
  cost: number;
}

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const ids = z.array(z.object({ id: z.string() }));
const productIds = z.object({ products: z.object({ pageInfo, nodes: ids }) });
const orderIds = z.object({ orders: z.object({ pageInfo, nodes: ids }) });
const locationIds = z.object({ locations: z.object({ pageInfo, nodes: ids }) });
const levelIds = z.object({
  location: z
    .object({
      id: z.string(),
      inventoryLevels: z.object({
        pageInfo,
        nodes: z.array(z.object({ id: z.string(), item: z.object({ id: z.string() }) })),
      }),
    })
    .nullable(),
});

export async function runReconciliation(options: ReconcileOptions): Promise<ReconcileResult> {
  const { store, resource, client, syncJobId, signal } = options;
  const now = options.now ?? (() => new Date());
  const customerData = options.customerData ?? configuredCustomerData();
  const incremental = await runIncrementalSync({
    store,
    resource,
    client,
    syncJobId,
    signal,
    now,
    customerData,
    source: "reconcile",
  });
  const result: ReconcileResult = { updated: incremental.read, listed: 0, removed: 0, cost: incremental.cost };

  const listingStarted = now();
  let cost = 0;
  async function page<T>(document: string, schema: z.ZodType<T>, variables: Record<string, unknown>): Promise<T> {
    signal?.throwIfAborted();
    const response = await client.request(document, schema, variables, { signal });
    cost += response.cost?.actualQueryCost ?? 0;
    return response.data;
  }

  switch (resource) {
    case "products": {
      const live = new Set<string>();
      let after: string | null = null;
      do {
        const data: z.infer<typeof productIds> = await page(PRODUCT_IDS_PAGE_QUERY, productIds, {
          first: PAGE_SIZE,
          after,
        });
        for (const node of data.products.nodes) live.add(node.id);
        after = data.products.pageInfo.hasNextPage ? data.products.pageInfo.endCursor : null;
      } while (after);
      result.listed = live.size;
      const held = await db.shopifyProduct.findMany({
        where: { storeId: store.id, deletedAt: null, shopifyUpdatedAt: { lt: listingStarted } },
        select: { shopifyId: true },
      });
      const gone = held.map((row) => row.shopifyId).filter((id) => !live.has(id));
      // With their variants: tombstoning alone left the variants of a product whose products/delete was
      // lost in the mirror (tests/sync/dropped-webhooks.test.ts).
      result.removed += await tombstoneProducts(store.id, gone, "reconcile", now);
      break;
    }
    case "orders": {
      if (!syncsOrders(customerData)) break;
      const since = orderHistoryStart(store, listingStarted);
      const live = new Set<string>();
      let after: string | null = null;
      do {
        const data: z.infer<typeof orderIds> = await page(ORDER_IDS_PAGE_QUERY, orderIds, {
          first: PAGE_SIZE,
          after,
          query: `created_at:>='${searchTime(since)}'`,
        });
        for (const node of data.orders.nodes) live.add(node.id);
        after = data.orders.pageInfo.hasNextPage ? data.orders.pageInfo.endCursor : null;
      } while (after);
      result.listed = live.size;
      // A day inside the window's edge, so an order at the boundary is never judged by two clocks.
      const comparedFrom = new Date(since.getTime() + 86_400_000);
      const held = await db.shopifyOrder.findMany({
        where: {
          storeId: store.id,
          shopifyUpdatedAt: { lt: listingStarted },
          shopifyCreatedAt: { gte: comparedFrom },
        },
        select: { shopifyId: true },
      });
      const gone = held.map((row) => row.shopifyId).filter((id) => !live.has(id));
      for (const batch of chunks(gone)) {
        // Line items go with their order (ON DELETE CASCADE).
        const { count } = await db.shopifyOrder.deleteMany({ where: { storeId: store.id, shopifyId: { in: batch } } });
        result.removed += count;
      }
      break;
    }
    case "inventory": {
      const locations = new Set<string>();
      let after: string | null = null;
      do {
        const data: z.infer<typeof locationIds> = await page(LOCATION_IDS_PAGE_QUERY, locationIds, {
          first: PAGE_SIZE,
          after,
        });
        for (const node of data.locations.nodes) locations.add(node.id);
        after = data.locations.pageInfo.hasNextPage ? data.locations.pageInfo.endCursor : null;
      } while (after);
      const levels = new Set<string>();
      for (const locationId of locations) {
        let levelsAfter: string | null = null;
        do {
          const data: z.infer<typeof levelIds> = await page(INVENTORY_LEVEL_IDS_PAGE_QUERY, levelIds, {
            locationId,
            first: PAGE_SIZE,
            after: levelsAfter,
          });
          if (!data.location) break;
          for (const node of data.location.inventoryLevels.nodes) levels.add(`${node.item.id} ${locationId}`);
          const info = data.location.inventoryLevels.pageInfo;
          levelsAfter = info.hasNextPage ? info.endCursor : null;
        } while (levelsAfter);
      }
      result.listed = locations.size + levels.size;

      const heldLocations = await db.shopifyLocation.findMany({
        where: { storeId: store.id, deletedAt: null },
        select: { shopifyId: true },
      });
      const goneLocations = heldLocations.map((row) => row.shopifyId).filter((id) => !locations.has(id));
      for (const batch of chunks(goneLocations)) {
        const at = now();
        const { count } = await db.shopifyLocation.updateMany({
          where: { storeId: store.id, deletedAt: null, shopifyId: { in: batch } },
          data: { deletedAt: at, isActive: false, syncedAt: at },
        });
        result.removed += count;
      }

      const heldLevels = await db.shopifyInventoryLevel.findMany({
        where: { storeId: store.id, shopifyUpdatedAt: { lt: listingStarted } },
        select: { inventoryItemId: true, locationId: true },
      });
      const goneLevels = heldLevels.filter((row) => !levels.has(`${row.inventoryItemId} ${row.locationId}`));
      for (const batch of chunks(goneLevels)) {
        const { count } = await db.shopifyInventoryLevel.deleteMany({
          where: {
            storeId: store.id,
            OR: batch.map((row) => ({ inventoryItemId: row.inventoryItemId, locationId: row.locationId })),
          },
        });
        result.removed += count;
      }
      break;
    }
  }

  result.cost += cost;
  const at = now();
  await db.$transaction(async (tx) => {
    await tx.shopifySyncState.upsert({
      where: { storeId_resource: { storeId: store.id, resource } },
      create: { storeId: store.id, resource, lastReconciledAt: at },
      update: { lastReconciledAt: at },
    });
    if (syncJobId) await progressSyncJob(syncJobId, { cost }, tx);
  });
  return result;
}
