// Test support for the full sync: an in-process emulator with one seeded shop, the app's store row and
// offline session for it, and the comparison of the database with the emulator's whole store.
import pino from "pino";
import { expect } from "vitest";
import { startEmulator, type RunningEmulator } from "../../tools/shopify-emulator/src/server";
import { storeDump } from "../../tools/shopify-emulator/src/state/views";
import { installedOfflineSession } from "../support/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";

export const SYNC_SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders", "read_all_orders"];

export interface SeededShop {
  products: number;
  maxVariants: number;
  locations: number;
  orders: number;
}

export async function startSyncEmulator(shop: string, seed: SeededShop): Promise<RunningEmulator> {
  const emulator = await startEmulator({
    port: 0,
    tomlPath: null,
    timeScale: 0.001,
    bulkStartDelayMs: 0,
    app: {
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      appUrl: "http://127.0.0.1:9",
      scopes: SYNC_SCOPES,
      webhookSubscriptions: [],
    },
    seed: { shop, accessToken: installedOfflineSession(shop).accessToken, seed: shop, ...seed },
  });
  // The seam is chosen when app/shopify.server.ts is first imported: import it after this.
  process.env.SHOPIFY_EMULATOR_URL = emulator.url;
  return emulator;
}

/** The store row and offline session an install would have written. */
export async function installStore(shop: string): Promise<number> {
  const { db } = await import("~/db.server");
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(installedOfflineSession(shop));
  const store = await db.shopifyStore.create({
    // With read_all_orders the store's order history applies as set (app/sync/order-history.ts): ten
    // years, so the seeded orders are all inside it.
    data: { shop, name: shop, currencyCode: "USD", grantedScopes: SYNC_SCOPES.join(","), orderHistoryDays: 3650 },
  });
  return store.id;
}

export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until every sync job row of the store is finished; returns them. */
export async function waitForSyncJobs(storeId: number, timeoutMs = 60_000) {
  const { db } = await import("~/db.server");
  return waitFor(
    async () => {
      const rows = await db.shopifySyncJob.findMany({ where: { storeId }, orderBy: { resource: "asc" } });
      return rows.length > 0 && rows.every((row) => !["queued", "running"].includes(row.status)) && rows;
    },
    timeoutMs,
    "the sync jobs to finish",
  );
}

/** Runs the queue's worker (every task) until `until` resolves, then stops it. */
export async function runWorkerUntil<T>(until: () => Promise<T>): Promise<T> {
  const { startWorker } = await import("~/sync/queue/queue.server");
  const { onPermanentFailure, tasks } = await import("~/sync/tasks/index.server");
  const worker = await startWorker({
    tasks,
    onPermanentFailure,
    pollIntervalMs: 25,
    logger: pino({ level: "silent" }),
  });
  try {
    return await until();
  } finally {
    await worker.stop();
  }
}

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);
/** The emulator's times are ISO-8601 without milliseconds; the database's are Dates. */
const time = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const cents = (amount: string) => Math.round(Number(amount) * 100);
const tags = (list: string[]) => (list.length ? list.join(", ") : null);

/**
 * The database equals the emulator's store, field by field for every mapped field: products with
 * variants, locations, inventory levels, orders with line items. Ids are compared as GIDs (exact
 * beyond 2^53), money as minor units (Shopify's MoneyV2 drops trailing zeros). A deleted product stays
 * as a tombstone row (`deletedAt`): exactly the GIDs in `tombstones` may be tombstoned (none by default),
 * and the live rows are compared with the store.
 */
export async function expectDatabaseEqualsStore(
  emulator: RunningEmulator,
  shop: string,
  storeId: number,
  { tombstones = [] }: { tombstones?: readonly string[] } = {},
) {
  const { db } = await import("~/db.server");
  const shopRec = emulator.store.getShop(shop);
  if (!shopRec) throw new Error(`emulator has no shop ${shop}`);
  const dump = storeDump(shopRec);
  const gid = (type: string, id: string | null) => (id === null ? null : `gid://shopify/${type}/${id}`);
  const byId = <T extends { shopifyId: string }>(rows: T[]) =>
    [...rows].sort((a, b) => a.shopifyId.localeCompare(b.shopifyId));
  const sortBy = <T>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

  const rows = await db.shopifyProduct.findMany({ where: { storeId } });
  expect(
    rows
      .filter((p) => p.deletedAt)
      .map((p) => p.shopifyId)
      .sort(),
  ).toEqual([...tombstones].sort());
  const products = rows.filter((p) => !p.deletedAt);
  expect(
    byId(products).map((p) => ({
      shopifyId: p.shopifyId,
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status,
      tags: p.tags,
      createdAt: iso(p.shopifyCreatedAt),
      updatedAt: iso(p.shopifyUpdatedAt),
      publishedAt: iso(p.publishedAt),
    })),
  ).toEqual(
    sortBy(dump.products, (p) => p.gid).map((p) => ({
      shopifyId: p.gid,
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status,
      tags: tags(p.tags),
      createdAt: time(p.createdAt),
      updatedAt: time(p.updatedAt),
      publishedAt: time(p.publishedAt),
    })),
  );

  const variants = await db.shopifyProductVariant.findMany({ where: { storeId } });
  expect(
    byId(variants).map((v) => ({
      shopifyId: v.shopifyId,
      productId: v.productId,
      title: v.title,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      position: v.position,
      inventoryItemId: v.inventoryItemId,
      inventoryPolicy: v.inventoryPolicy,
      inventoryQuantity: v.inventoryQuantity,
      selectedOptions: v.selectedOptions,
      taxable: v.taxable,
      createdAt: iso(v.shopifyCreatedAt),
      updatedAt: iso(v.shopifyUpdatedAt),
    })),
  ).toEqual(
    sortBy(
      dump.products.flatMap((p) => p.variants),
      (v) => v.gid,
    ).map((v) => ({
      shopifyId: v.gid,
      productId: gid("Product", v.productId),
      title: v.title,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      position: v.position,
      inventoryItemId: gid("InventoryItem", v.inventoryItemId),
      inventoryPolicy: v.inventoryPolicy,
      inventoryQuantity: v.inventoryQuantity,
      selectedOptions: v.selectedOptions,
      taxable: v.taxable,
      createdAt: time(v.createdAt),
      updatedAt: time(v.updatedAt),
    })),
  );

  const locations = await db.shopifyLocation.findMany({ where: { storeId } });
  expect(
    byId(locations).map((l) => ({
      shopifyId: l.shopifyId,
      name: l.name,
      isActive: l.isActive,
      city: (l.address as { city?: string } | null)?.city ?? null,
      updatedAt: iso(l.shopifyUpdatedAt),
    })),
  ).toEqual(
    sortBy(dump.locations, (l) => l.gid).map((l) => ({
      shopifyId: l.gid,
      name: l.name,
      isActive: l.isActive,
      city: l.address.city ?? null,
      updatedAt: time(l.updatedAt),
    })),
  );

  const levels = await db.shopifyInventoryLevel.findMany({ where: { storeId } });
  const levelKey = (item: string, location: string) => `${item}|${location}`;
  expect(
    sortBy(
      levels.map((l) => ({
        key: levelKey(l.inventoryItemId, l.locationId),
        shopifyId: l.shopifyId,
        available: l.available,
        onHand: l.onHand,
        committed: l.committed,
        updatedAt: iso(l.shopifyUpdatedAt),
      })),
      (l) => l.key,
    ),
  ).toEqual(
    sortBy(
      dump.inventoryLevels.map((l) => ({
        key: levelKey(gid("InventoryItem", l.inventoryItemId) ?? "", gid("Location", l.locationId) ?? ""),
        shopifyId: l.gid,
        available: l.available,
        onHand: l.onHand,
        committed: l.committed,
        updatedAt: time(l.updatedAt),
      })),
      (l) => l.key,
    ),
  );

  const orders = await db.shopifyOrder.findMany({ where: { storeId } });
  expect(
    byId(orders).map((o) => ({
      shopifyId: o.shopifyId,
      name: o.name,
      orderNumber: o.orderNumber,
      email: o.email,
      phone: o.phone,
      customerId: o.customerId,
      customerFirstName: o.customerFirstName,
      customerLastName: o.customerLastName,
      financialStatus: o.financialStatus,
      fulfillmentStatus: o.fulfillmentStatus,
      currencyCode: o.currencyCode,
      totalPriceMinor: Number(o.totalPriceMinor),
      subtotal: o.subtotalPrice === null ? null : cents(o.subtotalPrice),
      tax: o.totalTax === null ? null : cents(o.totalTax),
      discounts: o.totalDiscounts === null ? null : cents(o.totalDiscounts),
      test: o.test,
      tags: o.tags,
      processedAt: iso(o.processedAt),
      cancelledAt: iso(o.cancelledAt),
      cancelReason: o.cancelReason,
      closedAt: iso(o.closedAt),
      createdAt: iso(o.shopifyCreatedAt),
      updatedAt: iso(o.shopifyUpdatedAt),
    })),
  ).toEqual(
    sortBy(dump.orders, (o) => o.gid).map((o) => ({
      shopifyId: o.gid,
      name: o.name,
      orderNumber: o.number,
      email: o.email,
      phone: o.phone,
      customerId: o.customer?.gid ?? null,
      customerFirstName: o.customer?.firstName ?? null,
      customerLastName: o.customer?.lastName ?? null,
      financialStatus: o.displayFinancialStatus,
      fulfillmentStatus: o.displayFulfillmentStatus,
      currencyCode: o.currencyCode,
      totalPriceMinor: cents(o.totalPrice),
      subtotal: cents(o.subtotalPrice),
      tax: cents(o.totalTax),
      discounts: cents(o.totalDiscounts),
      test: o.test,
      tags: tags(o.tags),
      processedAt: time(o.processedAt),
      cancelledAt: time(o.cancelledAt),
      cancelReason: o.cancelReason,
      closedAt: time(o.closedAt),
      createdAt: time(o.createdAt),
      updatedAt: time(o.updatedAt),
    })),
  );

  const lineItems = await db.shopifyOrderLineItem.findMany({ where: { storeId } });
  expect(
    byId(lineItems).map((li) => ({
      shopifyId: li.shopifyId,
      orderId: li.orderId,
      productId: li.productId,
      variantId: li.variantId,
      title: li.title,
      variantTitle: li.variantTitle,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      currentQuantity: li.currentQuantity,
      unitPriceMinor: Number(li.unitPriceMinor),
      orderUpdatedAt: iso(li.orderUpdatedAt),
    })),
  ).toEqual(
    sortBy(
      dump.orders.flatMap((o) => o.lineItems.map((li) => ({ li, o }))),
      ({ li }) => li.gid,
    ).map(({ li, o }) => ({
      shopifyId: li.gid,
      orderId: o.gid,
      productId: gid("Product", li.productId),
      variantId: gid("ProductVariant", li.variantId),
      title: li.title,
      variantTitle: li.variantTitle,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      currentQuantity: li.currentQuantity,
      unitPriceMinor: cents(li.originalUnitPrice),
      orderUpdatedAt: time(o.updatedAt),
    })),
  );
  return {
    products: products.length,
    variants: variants.length,
    locations: locations.length,
    inventoryLevels: levels.length,
    orders: orders.length,
    lineItems: lineItems.length,
  };
}
