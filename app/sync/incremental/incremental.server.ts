// Incremental sync: what changed in a shop since the cursor, through paginated Admin queries
// (app/admin-api/operations/) sorted by UPDATED_AT and filtered `updated_at:>='<cursor>'`.
//
// - The filter is inclusive and the cursor is floored to the second: rows at the boundary are read
//   again, which newest-wins (app/sync/writer) makes harmless, and nothing updated in the same second
//   as the last committed row is skipped.
// - Products and orders come back sorted by updated_at, so each page is written in ONE transaction
//   together with the advance of ShopifySyncState.updatedAtCursor to that page's newest row: a job
//   killed half-way resumes after the last committed page.
// - Inventory levels are read per location and are not sorted by updated_at, so their pages are
//   committed one by one but the cursor moves only with the last page of the pass (a crash re-reads
//   the pass, never skips a level).
// - Nested connections beyond their first page (variants > 100, line items > 50) are followed with
//   PRODUCT_VARIANTS_PAGE_QUERY / ORDER_LINE_ITEMS_PAGE_QUERY before the page is written.
// - Orders: only those inside the store's order history (app/sync/order-history.ts, the one rule the
//   full sync and reconciliation use too), and only the customer data the app's policy allows
//   (app/sync/engine/customer-data.ts): at level `none` no orders are read at all. Fields Shopify
//   still redacts come back null with errors[] entries; the client hands them over as data, the rows
//   keep null, and the store's redacted fields are recorded for the dashboard.
import { z } from "zod";
import type { AdminGraphqlClient } from "~/admin-api/client.server";
import { db } from "~/db.server";
import {
  INVENTORY_LEVELS_PAGE_QUERY,
  LOCATIONS_PAGE_QUERY,
  ORDER_LINE_ITEMS_PAGE_QUERY,
  ORDERS_PAGE_QUERY,
  PRODUCT_VARIANTS_PAGE_QUERY,
  PRODUCTS_PAGE_QUERY,
} from "~/admin-api/operations";
import {
  inventoryLevelFromGraphql,
  lineItemFromGraphql,
  locationFromGraphql,
  orderFromGraphqlFor,
  productFromGraphql,
  variantFromGraphql,
} from "~/sync/engine/from-graphql";
import type { InventoryLevelRow, OrderWithLineItems, ProductWithVariants } from "~/sync/engine/rows";
import { bindCustomerData, syncsOrders, type CustomerDataPolicy } from "~/sync/engine/customer-data";
import { configuredCustomerData, RedactionLog, recordRedactions } from "~/sync/customer-data.server";
import { orderHistory } from "~/sync/order-history";
import { progressSyncJob, type SyncResource } from "~/sync/jobs.server";
import { pruneChildren } from "~/sync/writer/removals.server";
import {
  refreshInventoryQuantities,
  writeInventoryLevels,
  writeLocations,
  writeOrders,
  writeProducts,
} from "~/sync/writer/shop-data.server";
import { recordSyncState } from "~/sync/writer/sync-state.server";

/** Shopify's page maximum; every page document here costs well under 1000 points at 250. */
export const PAGE_SIZE = 250;

export interface SyncStore {
  id: number;
  shop: string;
  grantedScopes: string;
  orderHistoryDays: number;
}

export interface IncrementalOptions {
  store: SyncStore;
  resource: SyncResource;
  client: AdminGraphqlClient;
  /** The ShopifySyncJob row to record progress and cost on. */
  syncJobId?: string;
  signal?: AbortSignal;
  pageSize?: number;
  now?: () => Date;
  /** Recorded on the rows written (syncedBy): reconciliation's incremental pass passes "reconcile". */
  source?: "incremental" | "reconcile";
  /** What the app may read of customers; default: the configured policy (CUSTOMER_DATA_LEVEL). */
  customerData?: CustomerDataPolicy;
}

export interface IncrementalResult {
  pages: number;
  /** Rows read from Shopify (parents: products, orders, inventory levels). */
  read: number;
  written: number;
  /** Sum of extensions.cost.actualQueryCost. */
  cost: number;
  cursorBefore: Date | null;
  cursorAfter: Date | null;
  /** Protected customer data Shopify redacted in what this pass read ("Order.email", …). */
  redactedFields: string[];
}

// ---- response shapes (zod): only the envelope; the nodes are parsed by the engine's mappers ----

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const nodeWithId = z.object({ id: z.string() }).passthrough();
const connectionOf = <T extends z.ZodTypeAny>(node: T) => z.object({ pageInfo, nodes: z.array(node) });

const productNode = nodeWithId.extend({ variants: connectionOf(z.unknown()) });
const productsPage = z.object({ products: connectionOf(productNode) });
const variantsPage = z.object({
  product: z.object({ id: z.string(), variants: connectionOf(z.unknown()) }).nullable(),
});

const orderNode = nodeWithId.extend({ updatedAt: z.string(), lineItems: connectionOf(z.unknown()) });
const ordersPage = z.object({ orders: connectionOf(orderNode) });
const lineItemsPage = z.object({
  order: z.object({ id: z.string(), lineItems: connectionOf(z.unknown()) }).nullable(),
});

const locationsPage = z.object({ locations: connectionOf(z.unknown()) });
const levelsPage = z.object({
  location: z.object({ id: z.string(), inventoryLevels: connectionOf(z.unknown()) }).nullable(),
});

// ---- cursor ----------------------------------------------------------------------------------

/** Shopify search value for "updated at or after": ISO-8601 UTC, floored to the second. */
export function searchTime(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

export async function readCursor(storeId: number, resource: SyncResource): Promise<Date | null> {
  const state = await db.shopifySyncState.findUnique({ where: { storeId_resource: { storeId, resource } } });
  return state?.updatedAtCursor ?? null;
}

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

const latest = (dates: Iterable<Date>): Date | null => {
  let max: Date | null = null;
  for (const date of dates) if (!max || date > max) max = date;
  return max;
};

// ---- the pass --------------------------------------------------------------------------------

export async function runIncrementalSync(options: IncrementalOptions): Promise<IncrementalResult> {
  const cursorBefore = await readCursor(options.store.id, options.resource);
  const result: IncrementalResult = {
    pages: 0,
    read: 0,
    written: 0,
    cost: 0,
    cursorBefore,
    cursorAfter: cursorBefore,
    redactedFields: [],
  };
  switch (options.resource) {
    case "products":
      await syncProducts(options, result);
      break;
    case "orders":
      await syncOrders(options, result);
      break;
    case "inventory":
      await syncInventory(options, result);
      break;
  }
  return result;
}

interface Pager {
  options: IncrementalOptions;
  result: IncrementalResult;
  redactions?: RedactionLog;
}

async function fetchPage<T>(
  { options, result, redactions }: Pager,
  document: string,
  schema: z.ZodType<T, z.ZodTypeDef, unknown>,
  variables: Record<string, unknown>,
): Promise<T> {
  options.signal?.throwIfAborted();
  const response = await options.client.request(document, schema, variables, { signal: options.signal });
  result.cost += response.cost?.actualQueryCost ?? 0;
  redactions?.add(response.redactedFields, 0);
  return response.data;
}

/** The paging variables of a list query: this sync's page size, after `after`. */
function pageWindow(options: IncrementalOptions, after: string | null) {
  return { first: options.pageSize ?? PAGE_SIZE, after };
}

async function commitPage(
  pager: Pager,
  read: number,
  cost: number,
  write: (tx: Tx) => Promise<number>,
  cursorTo: Date | null,
): Promise<void> {
  const { options, result } = pager;
  const now = options.now?.() ?? new Date();
  result.cursorAfter = await db.$transaction(async (tx) => {
    result.written += await write(tx);
    const cursor = await recordSyncState(tx, options.store.id, options.resource, {
      cursor: cursorTo,
      lastIncrementalAt: now,
    });
    if (options.syncJobId) await progressSyncJob(options.syncJobId, { done: read, cost }, tx);
    return cursor;
  });
  result.pages++;
  result.read += read;
}

async function syncProducts(options: IncrementalOptions, result: IncrementalResult): Promise<void> {
  const pager = { options, result };
  const query = result.cursorBefore ? `updated_at:>='${searchTime(result.cursorBefore)}'` : null;
  let after: string | null = null;
  do {
    const costBefore = result.cost;
    const page: z.infer<typeof productsPage> = await fetchPage(pager, PRODUCTS_PAGE_QUERY, productsPage, {
      ...pageWindow(options, after),
      query,
    });
    const items: ProductWithVariants[] = [];
    const complete: ProductWithVariants[] = []; // every variant read
    for (const node of page.products.nodes) {
      const item = productFromGraphql(node);
      let variants = node.variants;
      let whole = true;
      while (variants.pageInfo.hasNextPage) {
        const more: z.infer<typeof variantsPage> = await fetchPage(pager, PRODUCT_VARIANTS_PAGE_QUERY, variantsPage, {
          id: node.id,
          first: PAGE_SIZE,
          after: variants.pageInfo.endCursor,
        });
        // Deleted while we paged: what we have is still its last state.
        if (!more.product) {
          whole = false;
          break;
        }
        variants = more.product.variants;
        item.variants.push(...variants.nodes.map((v) => variantFromGraphql(v, node.id)));
      }
      items.push(item);
      if (whole) complete.push(item);
    }
    await commitPage(
      pager,
      items.length,
      result.cost - costBefore,
      async (tx) => {
        const { written } = await writeProducts(tx, options.store.id, items, options.source ?? "incremental");
        await pruneRemovedVariants(tx, options.store.id, complete);
        return written;
      },
      latest(items.map((i) => i.product.shopifyUpdatedAt)),
    );
    after = page.products.pageInfo.hasNextPage ? page.products.pageInfo.endCursor : null;
  } while (after);
}

/**
 * A product read whole lists every variant it has now (nested pages were followed), so a stored
 * variant it does not list was deleted in Shopify. Without this, a variant deletion whose
 * products/update was lost (webhook delivery is not guaranteed) stayed in the mirror for good: the
 * writer only upserts (tests/sync/dropped-webhooks.test.ts). Only variants not newer than the product
 * as read go, so one added after our read (by a webhook applied meanwhile) stays.
 */
export function pruneRemovedVariants(tx: Tx, storeId: number, items: readonly ProductWithVariants[]) {
  return pruneChildren(
    tx,
    storeId,
    "variants",
    items.map(({ product, variants }) => ({
      parentId: product.shopifyId,
      keep: variants.map((variant) => variant.shopifyId),
      notNewerThan: product.shopifyUpdatedAt,
    })),
  );
}

async function syncOrders(options: IncrementalOptions, result: IncrementalResult): Promise<void> {
  const customerData = options.customerData ?? configuredCustomerData();
  if (!syncsOrders(customerData)) return; // orders are customer data (level 1)
  const redactions = new RedactionLog();
  const pager = { options, result, redactions };
  const since = orderHistory(options.store, options.now?.() ?? new Date()).from;
  const filters = [
    ...(result.cursorBefore ? [`updated_at:>='${searchTime(result.cursorBefore)}'`] : []),
    `created_at:>='${searchTime(since)}'`,
  ];
  const query = filters.join(" AND ");
  const document = bindCustomerData(ORDERS_PAGE_QUERY, customerData);
  const toOrder = orderFromGraphqlFor(customerData);
  let after: string | null = null;
  do {
    const costBefore = result.cost;
    const page: z.infer<typeof ordersPage> = await fetchPage(pager, document, ordersPage, {
      ...pageWindow(options, after),
      query,
    });
    redactions.add([], page.orders.nodes.length);
    const items: OrderWithLineItems[] = [];
    for (const node of page.orders.nodes) {
      const item = toOrder(node);
      let lineItems = node.lineItems;
      while (lineItems.pageInfo.hasNextPage) {
        const more: z.infer<typeof lineItemsPage> = await fetchPage(pager, ORDER_LINE_ITEMS_PAGE_QUERY, lineItemsPage, {
          id: node.id,
          first: PAGE_SIZE,
          after: lineItems.pageInfo.endCursor,
        });
        if (!more.order) break;
        lineItems = more.order.lineItems;
        const order = { id: node.id, updatedAt: item.order.shopifyUpdatedAt };
        item.lineItems.push(...lineItems.nodes.map((li) => lineItemFromGraphql(li, order)));
      }
      items.push(item);
    }
    await commitPage(
      pager,
      items.length,
      result.cost - costBefore,
      async (tx) => (await writeOrders(tx, options.store.id, items, options.source ?? "incremental")).written,
      latest(items.map((i) => i.order.shopifyUpdatedAt)),
    );
    after = page.orders.pageInfo.hasNextPage ? page.orders.pageInfo.endCursor : null;
  } while (after);
  result.redactedFields = [...redactions.fields].sort();
  await recordRedactions(options.store.id, redactions);
}

async function syncInventory(options: IncrementalOptions, result: IncrementalResult): Promise<void> {
  const pager = { options, result };
  const storeId = options.store.id;
  // Locations first (few; all of them, deactivated ones too), so levels have their location row.
  const locationIds: string[] = [];
  let after: string | null = null;
  do {
    const page: z.infer<typeof locationsPage> = await fetchPage(pager, LOCATIONS_PAGE_QUERY, locationsPage, {
      first: PAGE_SIZE,
      after,
    });
    const rows = page.locations.nodes.map((node) => locationFromGraphql(node));
    locationIds.push(...rows.map((row) => row.shopifyId));
    await db.$transaction(async (tx) => writeLocations(tx, storeId, rows));
    after = page.locations.pageInfo.hasNextPage ? page.locations.pageInfo.endCursor : null;
  } while (after);

  const query = result.cursorBefore ? `updated_at:>='${searchTime(result.cursorBefore)}'` : null;
  let newest: Date | null = null;
  const items = new Set<string>();
  // Pages are committed as they come; the cursor moves with the very last one (see the header).
  let pending: { rows: InventoryLevelRow[]; cost: number } | null = null;
  const flush = async (last: boolean) => {
    if (!pending) return;
    const { rows, cost } = pending;
    pending = null;
    newest = latest([...(newest ? [newest] : []), ...rows.map((r) => r.shopifyUpdatedAt)]);
    for (const row of rows) items.add(row.inventoryItemId);
    await commitPage(
      pager,
      rows.length,
      cost,
      async (tx) => (await writeInventoryLevels(tx, storeId, rows)).written,
      last ? newest : null,
    );
  };
  for (const locationId of locationIds) {
    let levelsAfter: string | null = null;
    do {
      const costBefore = result.cost;
      const page: z.infer<typeof levelsPage> = await fetchPage(pager, INVENTORY_LEVELS_PAGE_QUERY, levelsPage, {
        locationId,
        ...pageWindow(options, levelsAfter),
        query,
      });
      if (!page.location) break; // removed while we paged; reconciliation marks it
      await flush(false);
      pending = {
        rows: page.location.inventoryLevels.nodes.map((node) => inventoryLevelFromGraphql(node)),
        cost: result.cost - costBefore,
      };
      const info = page.location.inventoryLevels.pageInfo;
      levelsAfter = info.hasNextPage ? info.endCursor : null;
    } while (levelsAfter);
  }
  if (pending) await flush(true);
  else {
    // Nothing changed: record the pass (lastIncrementalAt) without moving the cursor.
    await commitPage(pager, 0, 0, async () => 0, null);
    result.pages--;
  }
  await refreshInventoryQuantities(storeId, [...items]);
}
