// Protected customer data against the emulator: the app's configured customer-data level shapes what
// the sync asks for, and a shop whose approval is lower still syncs, with null for the redacted fields.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetShopApiStates } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { runIncrementalSync } from "~/sync/incremental/incremental.server";
import { clientOptions, installShop, startSyncHarness, type SyncHarness } from "./support";

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => resetShopApiStates());

const now = () => new Date(h.clock.now());

describe("the current app configuration against a shop with level 1 approval", () => {
  it("incremental order sync completes and stores null for the redacted fields", async () => {
    const store = await installShop(h, "pcd-bug.myshopify.com", { products: 3, orders: 8 });
    await h.control("PUT", `/shops/${store.shop}/customer-data-access`, { level: "level1" });
    const client = adminClientFor(store.shop, clientOptions(h));
    await runIncrementalSync({ store, resource: "orders", client, now });
    const orders = await db.shopifyOrder.findMany({ where: { storeId: store.id } });
    expect(orders).toHaveLength(8);
    for (const order of orders) {
      expect(order.email).toBeNull();
      expect(order.customerFirstName).toBeNull();
    }
  });
});
