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
import {
  deleteInventoryLevels,
  deleteOrders,
  markLocationsDeleted,
  ordersJudgedFrom,
  tombstoneProducts,
} from "~/sync/writer/removals.server";
import { recordSyncState } from "~/sync/writer/sync-state.server";
import { orderHistory } from "~/sync/order-history";
import { PAGE_SIZE, runIncrementalSync, searchTime, type SyncStore } from "~/sync/incremental/incremental.server";
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
type PageInfo = z.infer<typeof pageInfo>;
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
  /** Every node of a paged connection: `read(after)` fetches one page (null: the connection is gone). */
  async function listAll<Node>(
    read: (after: string | null) => Promise<{ pageInfo: PageInfo; nodes: Node[] } | null>,
  ): Promise<Node[]> {
    const nodes: Node[] = [];
    let after: string | null = null;
    do {
      signal?.throwIfAborted();
      const connection = await read(after);
      if (!connection) break;
      nodes.push(...connection.nodes);
      after = connection.pageInfo.hasNextPage ? connection.pageInfo.endCursor : null;
    } while (after);
    return nodes;
  }
  async function page<T>(document: string, schema: z.ZodType<T>, variables: Record<string, unknown>): Promise<T> {
    const response = await client.request(document, schema, variables, { signal });
    cost += response.cost?.actualQueryCost ?? 0;
    return response.data;
  }

  switch (resource) {
    case "products": {
      const live = new Set(
        (
          await listAll(
            async (after) => (await page(PRODUCT_IDS_PAGE_QUERY, productIds, { first: PAGE_SIZE, after })).products,
          )
        ).map((node) => node.id),
      );
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
      const since = orderHistory(store, listingStarted).from;
      const query = `created_at:>='${searchTime(since)}'`;
      const live = new Set(
        (
          await listAll(
            async (after) => (await page(ORDER_IDS_PAGE_QUERY, orderIds, { first: PAGE_SIZE, after, query })).orders,
          )
        ).map((node) => node.id),
      );
      result.listed = live.size;
      const held = await db.shopifyOrder.findMany({
        where: { storeId: store.id, shopifyUpdatedAt: { lt: listingStarted }, ...ordersJudgedFrom(since) },
        select: { shopifyId: true },
      });
      result.removed += await deleteOrders(
        store.id,
        held.map((row) => row.shopifyId).filter((id) => !live.has(id)),
      );
      break;
    }
    case "inventory": {
      const locations = new Set(
        (
          await listAll(
            async (after) => (await page(LOCATION_IDS_PAGE_QUERY, locationIds, { first: PAGE_SIZE, after })).locations,
          )
        ).map((node) => node.id),
      );
      const levels = new Set<string>();
      for (const locationId of locations) {
        const nodes = await listAll(
          async (after) =>
            (await page(INVENTORY_LEVEL_IDS_PAGE_QUERY, levelIds, { locationId, first: PAGE_SIZE, after })).location
              ?.inventoryLevels ?? null,
        );
        for (const node of nodes) levels.add(`${node.item.id} ${locationId}`);
      }
      result.listed = locations.size + levels.size;

      const heldLocations = await db.shopifyLocation.findMany({
        where: { storeId: store.id, deletedAt: null },
        select: { shopifyId: true },
      });
      result.removed += await markLocationsDeleted(
        store.id,
        heldLocations.map((row) => row.shopifyId).filter((id) => !locations.has(id)),
        now,
      );

      const heldLevels = await db.shopifyInventoryLevel.findMany({
        where: { storeId: store.id, shopifyUpdatedAt: { lt: listingStarted } },
        select: { inventoryItemId: true, locationId: true },
      });
      result.removed += await deleteInventoryLevels(
        store.id,
        heldLevels.filter((row) => !levels.has(`${row.inventoryItemId} ${row.locationId}`)),
      );
      break;
    }
  }

  result.cost += cost;
  const at = now();
  await db.$transaction(async (tx) => {
    await recordSyncState(tx, store.id, resource, { lastReconciledAt: at });
    if (syncJobId) await progressSyncJob(syncJobId, { cost }, tx);
  });
  return result;
}
