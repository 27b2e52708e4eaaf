// Incremental sync against the emulator (real HTTP, the real library through the seam, the real
// database): a first pass mirrors the shop, changes made in the emulator arrive on the next pass
// field by field, the cursor advances, and injected faults do not change the outcome.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { onAdminApiEvent, type AdminCallEvent } from "~/admin-api/events.server";
import { resetShopApiStates } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { runIncrementalSync, readCursor, type SyncStore } from "~/sync/incremental/incremental.server";
import type { SyncResource } from "~/sync/jobs.server";
import { expectMirrorEqualsStore } from "../support/mirror";
import { clientOptions, installShop, startSyncHarness, type SyncHarness } from "./support";

let h: SyncHarness;
let events: AdminCallEvent[] = [];
let unsubscribe: () => void;

beforeAll(async () => {
  h = await startSyncHarness();
  unsubscribe = onAdminApiEvent((event) => events.push(event));
});
afterAll(async () => {
  unsubscribe?.();
  await h?.close();
});
beforeEach(() => {
  resetShopApiStates();
  events = [];
});

const now = () => new Date(h.clock.now());

async function syncAll(store: SyncStore, resources: SyncResource[] = ["products", "inventory", "orders"]) {
  const client = adminClientFor(store.shop, clientOptions(h));
  const results = [];
  for (const resource of resources) results.push(await runIncrementalSync({ store, resource, client, now }));
  return results;
}

describe("incremental sync", () => {
  it("mirrors the shop, then applies products, orders and inventory changed in the emulator", async () => {
    const store = await installShop(h, "incremental-a.myshopify.com", { products: 40, orders: 25, maxVariants: 3 });
    await syncAll(store);
    await expectMirrorEqualsStore(h.emulator, store.shop, store.id);
    const cursors = {
      products: await readCursor(store.id, "products"),
      orders: await readCursor(store.id, "orders"),
      inventory: await readCursor(store.id, "inventory"),
    };
    expect(cursors.products).not.toBeNull();

    // Changes, an hour later by the emulator's clock.
    h.clock.advance(3_600_000);
    const shopData = await h.control<{
      products: Array<{ id: string; variants: Array<{ id: string; inventoryItemId?: string }> }>;
    }>("GET", `/shops/${store.shop}/store`);
    const [first, second] = shopData.products;
    if (!first || !second) throw new Error("seed has too few products");
    await h.control("PATCH", `/shops/${store.shop}/products/${first.id}`, {
      title: "Renamed by the merchant",
      tags: ["changed", "incremental"],
      vendor: "New Vendor",
    });
    const variantId = second.variants[0]?.id ?? "";
    await h.control("PATCH", `/shops/${store.shop}/products/${second.id}`, {
      variants: [{ id: variantId, price: "123.45" }],
    });
    const created = await h.control<{ id: string }>("POST", `/shops/${store.shop}/products`, {
      title: "Brand new",
      variants: [{ sku: "NEW-1", price: "5.00", available: 7 }],
    });
    const variantGid = `gid://shopify/ProductVariant/${variantId}`;
    const level = await db.shopifyInventoryLevel.findFirstOrThrow({
      where: { storeId: store.id, inventoryItemId: { not: "" } },
    });
    await h.control("POST", `/shops/${store.shop}/inventory`, {
      inventoryItemId: level.inventoryItemId,
      locationId: level.locationId,
      available: 999,
    });
    const placed = await h.control<{ id: string }>("POST", `/shops/${store.shop}/orders`, {
      lineItems: [{ variantId: variantGid, quantity: 2 }],
      financialStatus: "PENDING",
    });
    const someOrder = await db.shopifyOrder.findFirstOrThrow({ where: { storeId: store.id, cancelledAt: null } });
    await h.control("POST", `/shops/${store.shop}/orders/${encodeURIComponent(someOrder.shopifyId)}/cancel`, {
      reason: "CUSTOMER",
    });

    const results = await syncAll(store);
    await expectMirrorEqualsStore(h.emulator, store.shop, store.id);
    const renamed = await db.shopifyProduct.findFirstOrThrow({
      where: { storeId: store.id, title: "Renamed by the merchant" },
    });
    expect(renamed.vendor).toBe("New Vendor");
    expect(
      await db.shopifyProductVariant.findFirstOrThrow({ where: { storeId: store.id, shopifyId: variantGid } }),
    ).toMatchObject({
      price: "123.45",
    });
    expect(await db.shopifyProduct.count({ where: { storeId: store.id, title: "Brand new" } })).toBe(1);
    expect(created.id).toBeTruthy();
    expect(placed.id).toBeTruthy();
    expect(
      await db.shopifyInventoryLevel.findUniqueOrThrow({
        where: {
          storeId_inventoryItemId_locationId: {
            storeId: store.id,
            inventoryItemId: level.inventoryItemId,
            locationId: level.locationId,
          },
        },
      }),
    ).toMatchObject({ available: 999 });
    expect(
      (
        await db.shopifyOrder.findUniqueOrThrow({
          where: { storeId_shopifyId: { storeId: store.id, shopifyId: someOrder.shopifyId } },
        })
      ).cancelledAt,
    ).not.toBeNull();

    // Only what changed was read the second time, and every cursor moved forward.
    const [products, inventory, orders] = results;
    expect(products?.read).toBeLessThan(10);
    expect(orders?.read).toBeLessThan(10);
    expect(inventory?.read).toBeLessThan(20);
    for (const resource of ["products", "orders", "inventory"] as const) {
      const cursor = await readCursor(store.id, resource);
      const before = cursors[resource];
      expect(cursor).not.toBeNull();
      if (before && cursor) expect(cursor.getTime()).toBeGreaterThan(before.getTime());
    }
    // Normal running: nothing was THROTTLED.
    expect(events.filter((e) => e.outcome === "throttled")).toEqual([]);
  });

  it("follows variants and line items beyond the first page of the nested connection", async () => {
    const store = await installShop(h, "incremental-nested.myshopify.com", { products: 1, orders: 0 });
    // PRODUCTS_PAGE_QUERY takes 100 variants per product and ORDERS_PAGE_QUERY 50 line items per order.
    const values = Array.from({ length: 120 }, (_, i) => `S${i}`);
    const big = await h.control<{ id: string; variants: Array<{ id: string }> }>(
      "POST",
      `/shops/${store.shop}/products`,
      {
        title: "Many variants",
        options: [{ name: "Size", values }],
        variants: values.map((value, i) => ({ sku: `BIG-${i}`, price: "1.00", options: [value], available: 100 })),
      },
    );
    const order = await h.control<{ id: string }>("POST", `/shops/${store.shop}/orders`, {
      lineItems: big.variants
        .slice(0, 60)
        .map((v) => ({ variantId: `gid://shopify/ProductVariant/${v.id}`, quantity: 1 })),
    });
    await syncAll(store, ["products", "orders"]);
    const row = await db.shopifyProduct.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId: store.id, shopifyId: `gid://shopify/Product/${big.id}` } },
      include: { variants: true },
    });
    expect(row.variants).toHaveLength(120);
    const orderRow = await db.shopifyOrder.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId: store.id, shopifyId: `gid://shopify/Order/${order.id}` } },
      include: { lineItems: true },
    });
    expect(orderRow.lineItems).toHaveLength(60);
    expect(events.map((e) => e.operation)).toEqual(
      expect.arrayContaining(["ProductVariantsPage", "OrderLineItemsPage"]),
    );
  });
});
