// Test support for the incremental sync and reconciliation: the emulator in-process on a fake clock,
// a shop seeded in it with a registered token, the same shop installed in our database (store row and
// an offline session stored through the app's encrypted session storage), and an Admin client whose
// waits advance the emulator's clock, so pacing is exact and fast.
import { expect } from "vitest";
import { z } from "zod";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import {
  bindCustomerData,
  FULL_CUSTOMER_DATA,
  syncsOrders,
  type CustomerDataPolicy,
} from "~/sync/engine/customer-data";
import { inventoryLevelFromGraphql, orderFromGraphqlFor, productFromGraphql } from "~/sync/engine/fromGraphql";
import { INVENTORY_LEVELS_PAGE_QUERY, ORDERS_PAGE_QUERY, PRODUCTS_PAGE_QUERY } from "~/admin-api/operations";
import { FakeClock } from "../../tools/shopify-emulator/src/clock";
import { startEmulator, type RunningEmulator } from "../../tools/shopify-emulator/src/server";
import type { AdminClientOptions } from "~/admin-api/client.server";
import type { Clock } from "~/admin-api/clock.server";
import { installedOfflineSession } from "../support/shopify-requests";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";

export const SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders"];
export const START = Date.parse("2026-01-15T12:00:00Z");

export interface SyncHarness {
  emulator: RunningEmulator;
  clock: FakeClock;
  /** Sleeps advance the emulator's clock (its leaky bucket refills by it). */
  appClock: Clock;
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startSyncHarness(): Promise<SyncHarness> {
  const clock = new FakeClock(START);
  const emulator = await startEmulator({
    port: 0,
    clock,
    timeScale: 0.001,
    tomlPath: null,
    app: {
      apiKey: TEST_API_KEY,
      apiSecret: TEST_API_SECRET,
      appUrl: "http://127.0.0.1:9",
      scopes: SCOPES,
      webhookSubscriptions: [],
    },
  });
  // The seam is chosen when app/shopify.server.ts is first imported (after this).
  process.env.SHOPIFY_EMULATOR_URL = emulator.url;
  const appClock: Clock = {
    now: () => clock.now(),
    sleep: async (ms) => {
      clock.advance(ms);
    },
  };
  return {
    emulator,
    clock,
    appClock,
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${emulator.url}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
    close: () => emulator.close(),
  };
}

/** Seeds `shop` in the emulator and installs it in our database; returns the store as the sync needs it. */
export async function installShop(
  h: SyncHarness,
  shop: string,
  seed: { products: number; orders: number; locations?: number; maxVariants?: number; exactVariants?: boolean },
  plan: "standard" | "advanced" | "plus" = "standard",
) {
  const session = installedOfflineSession(shop);
  await h.control("POST", "/shops", {
    shop,
    plan,
    scopes: SCOPES,
    accessToken: session.accessToken,
    replace: true,
    seed: {
      ...seed,
      // Inside the 60 days Shopify shows without read_all_orders (by the emulator's clock).
      from: new Date(START - 30 * 86_400_000).toISOString(),
      to: new Date(START - 86_400_000).toISOString(),
    },
  });
  const { sessionStorage } = await import("~/shopify.server");
  const { db } = await import("~/db.server");
  await sessionStorage.storeSession(session);
  const store = await db.shopifyStore.create({
    data: { shop, name: shop, currencyCode: "USD", grantedScopes: SCOPES.join(",") },
  });
  return { id: store.id, shop, grantedScopes: store.grantedScopes, orderHistoryDays: store.orderHistoryDays };
}

/** Client options for tests: the emulator's clock, and quick retries. */
export function clientOptions(h: SyncHarness): Omit<AdminClientOptions, "shop"> {
  return { clock: h.appClock, retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 } };
}

/** Shopify's current state of all products/orders/levels, mapped by the engine (the oracle). */
async function shopifyState(h: SyncHarness, shop: string, customerData: CustomerDataPolicy) {
  const client = adminClientFor(shop, clientOptions(h));
  const any = z.any();
  const products = (await client.query(PRODUCTS_PAGE_QUERY, any, { first: 250 })) as { products: { nodes: unknown[] } };
  const orders = syncsOrders(customerData)
    ? ((await client.query(bindCustomerData(ORDERS_PAGE_QUERY, customerData), any, { first: 250 })) as {
        orders: { nodes: unknown[] };
      })
    : { orders: { nodes: [] } };
  return {
    products: products.products.nodes.map((node) => productFromGraphql(node)),
    orders: orders.orders.nodes.map(orderFromGraphqlFor(customerData)),
    async levels(locationId: string) {
      const page = (await client.query(INVENTORY_LEVELS_PAGE_QUERY, any, { locationId, first: 250 })) as {
        location: { inventoryLevels: { nodes: unknown[] } };
      };
      return page.location.inventoryLevels.nodes.map((node) => inventoryLevelFromGraphql(node));
    },
  };
}

const strip = <T extends object>(row: T) => {
  const { raw: _raw, ...rest } = row as T & { raw?: unknown };
  return rest;
};

/**
 * The database holds exactly what the emulator has, field by field for the mapped fields (of orders,
 * what `customerData` allows the app to ask for).
 */
export async function expectMirrors(
  h: SyncHarness,
  storeId: number,
  shop: string,
  customerData: CustomerDataPolicy = FULL_CUSTOMER_DATA,
) {
  const state = await shopifyState(h, shop, customerData);
  for (const { product, variants } of state.products) {
    const row = await db.shopifyProduct.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId, shopifyId: product.shopifyId } },
      include: { variants: { orderBy: { shopifyId: "asc" } } },
    });
    expect(row).toMatchObject(strip(product));
    expect(row.variants.map((v) => v.shopifyId).sort()).toEqual(variants.map((v) => v.shopifyId).sort());
    for (const variant of variants) {
      expect(row.variants.find((v) => v.shopifyId === variant.shopifyId)).toMatchObject(strip(variant));
    }
  }
  for (const { order, lineItems } of state.orders) {
    const row = await db.shopifyOrder.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId, shopifyId: order.shopifyId } },
      include: { lineItems: true },
    });
    const { billingAddress, shippingAddress, ...scalars } = strip(order);
    expect(row).toMatchObject(scalars);
    expect(row.billingAddress).toEqual(billingAddress);
    expect(row.shippingAddress).toEqual(shippingAddress);
    expect(row.lineItems).toHaveLength(lineItems.length);
    for (const line of lineItems)
      expect(row.lineItems.find((l) => l.shopifyId === line.shopifyId)).toMatchObject(strip(line));
  }
  expect(await db.shopifyProduct.count({ where: { storeId, deletedAt: null } })).toBe(state.products.length);
  expect(await db.shopifyOrder.count({ where: { storeId } })).toBe(state.orders.length);
  const locations = await db.shopifyLocation.findMany({ where: { storeId } });
  let levelCount = 0;
  for (const location of locations) {
    for (const level of await state.levels(location.shopifyId)) {
      levelCount++;
      const row = await db.shopifyInventoryLevel.findUniqueOrThrow({
        where: {
          storeId_inventoryItemId_locationId: {
            storeId,
            inventoryItemId: level.inventoryItemId,
            locationId: level.locationId,
          },
        },
      });
      expect(row).toMatchObject(level);
    }
  }
  expect(await db.shopifyInventoryLevel.count({ where: { storeId } })).toBe(levelCount);
}
