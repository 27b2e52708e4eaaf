// Reconciliation: products and orders deleted in the emulator while webhook delivery is off
// (behaviour drop: 1) are gone from the mirror after a reconcile run — products tombstoned, orders
// deleted — and the scheduled task records its job row and schedules its next run.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetShopApiStates } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { runIncrementalSync } from "~/sync/incremental/incremental.server";
import { queueDepth, runUntilIdle } from "~/sync/queue.server";
import { runReconciliation } from "~/sync/reconcile/reconcile.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { scheduleNextReconciliation, scheduleReconciliation } from "~/sync/tasks/sync/reconcile.server";
import { seqOf } from "../../tools/shopify-emulator/src/testing";
import { expectMirrorEqualsStore } from "../support/mirror";
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

describe("reconciliation", () => {
  it("removes products and orders Shopify no longer has, without any webhook", async () => {
    const store = await installShop(h, "reconcile-a.myshopify.com", { products: 20, orders: 12 });
    const client = adminClientFor(store.shop, clientOptions(h));
    for (const resource of ["products", "inventory", "orders"] as const) {
      await runIncrementalSync({ store, resource, client, now });
    }
    await h.control("POST", "/webhooks/behaviour", { shop: store.shop, drop: 1 });
    h.clock.advance(60_000);

    // Products no order refers to: a line item keeps pointing at a deleted product until its order
    // changes (Shopify then answers `product: null`), which is not what this test is about.
    const ordered = await db.shopifyOrderLineItem.findMany({
      where: { storeId: store.id },
      select: { productId: true },
    });
    const [gone1, gone2] = await db.shopifyProduct.findMany({
      where: { storeId: store.id, shopifyId: { notIn: ordered.flatMap((l) => (l.productId ? [l.productId] : [])) } },
      take: 2,
      orderBy: { shopifyId: "asc" },
    });
    if (!gone1 || !gone2) throw new Error("too few products");
    for (const product of [gone1, gone2]) {
      await h.control("DELETE", `/shops/${store.shop}/products/${encodeURIComponent(product.shopifyId)}`);
    }
    // The control API cannot delete orders (Shopify rarely does either); remove one from the store.
    const goneOrder = await db.shopifyOrder.findFirstOrThrow({ where: { storeId: store.id } });
    const shopRec = h.emulator.store.requireShop(store.shop);
    const seq = seqOf("Order", shopRec.no, BigInt(goneOrder.shopifyId.split("/").pop() ?? ""));
    if (seq === undefined) throw new Error("order id not from this shop");
    shopRec.orders[seq] = undefined;
    h.emulator.store.touch(shopRec);

    for (const resource of ["products", "orders", "inventory"] as const) {
      await runReconciliation({ store, resource, client, now });
    }

    const tombstones = await db.shopifyProduct.findMany({ where: { storeId: store.id, deletedAt: { not: null } } });
    expect(tombstones.map((p) => p.shopifyId).sort()).toEqual([gone1.shopifyId, gone2.shopifyId].sort());
    expect(tombstones.every((p) => p.syncedBy === "reconcile")).toBe(true);
    expect(await db.shopifyOrder.count({ where: { storeId: store.id, shopifyId: goneOrder.shopifyId } })).toBe(0);
    expect(await db.shopifyOrderLineItem.count({ where: { storeId: store.id, orderId: goneOrder.shopifyId } })).toBe(0);
    // Deleted products' levels went with their variants.
    await expectMirrorEqualsStore(h.emulator, store.shop, store.id, { tombstones: [gone1.shopifyId, gone2.shopifyId] });
    const states = await db.shopifySyncState.findMany({ where: { storeId: store.id } });
    expect(states.map((s) => s.resource).sort()).toEqual(["inventory", "orders", "products"]);
    expect(states.every((s) => s.lastReconciledAt !== null)).toBe(true);
  });

  it("runs as the sync/reconcile task: a job row, and the next run scheduled once", async () => {
    const store = await installShop(h, "reconcile-task.myshopify.com", { products: 5, orders: 3 });
    await scheduleNextReconciliation(store, "products", new Date());
    await scheduleNextReconciliation(store, "products", new Date()); // collapses into the same job
    expect(await runUntilIdle({ tasks, onPermanentFailure })).toBe(1);

    const rows = await db.shopifySyncJob.findMany({ where: { storeId: store.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: "reconcile",
      resource: "products",
      status: "succeeded",
      trigger: "schedule",
    });
    expect(rows[0]?.doneCount).toBe(5);
    expect(rows[0]?.costSpent).toBeGreaterThan(0);
    expect(rows[0]?.finishedAt).not.toBeNull();
    expect(await db.shopifyProduct.count({ where: { storeId: store.id } })).toBe(5);
    // The next run waits reconcileEveryHours (24) ahead.
    expect((await queueDepth()).scheduled).toBe(1);
  });

  it("starts a new store's chain one interval after install, not at once (the full sync reads it all)", async () => {
    const store = await installShop(h, "reconcile-chain.myshopify.com", { products: 3, orders: 1 });
    const before = (await queueDepth()).scheduled;
    await scheduleReconciliation(store.id);
    await scheduleReconciliation(store.id); // idempotent: the same three jobs
    expect((await queueDepth()).scheduled).toBe(before + 3);
    expect(await runUntilIdle({ tasks, onPermanentFailure })).toBe(0);
    expect(await db.shopifySyncJob.count({ where: { storeId: store.id } })).toBe(0);
  });
});
