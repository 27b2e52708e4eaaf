// A full sync end to end: three bulk operations on the emulator (through the real library, the seam
// and the offline session), their JSONL streamed into the database by the queue's worker, and the
// database compared with the emulator's store field by field.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../support/emulator";
import { expectMirrorEqualsStore } from "../support/mirror";
import { installSyncStore, runWorkerUntil, startSyncEmulator, waitFor, waitForSyncJobs } from "./full-sync.support";

const SHOP = "full-sync.myshopify.com";
let emulator: RunningEmulator;
let storeId: number;

beforeAll(async () => {
  emulator = await startSyncEmulator(SHOP, { products: 1_200, maxVariants: 3, locations: 3, orders: 600 });
  storeId = (await installSyncStore(SHOP)).id;
});

afterAll(async () => {
  await emulator?.close();
});

describe("full sync through bulk operations", () => {
  it("mirrors products with variants, locations with inventory levels and orders with line items", async () => {
    const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
    const { requestFullSync } = await import("~/sync/triggers.server");
    fullSyncSettings.firstPollMs = 25;
    fullSyncSettings.batchLines = 500;
    // Operations stay CREATED for 3 s (× timeScale 0.001), so "all three start before any
    // finishes" does not depend on how fast this machine is (300 ms was seen too short on PostgreSQL
    // with the machine's two cores loaded eightfold).
    emulator.bulk.startDelayMs = 3_000_000;

    const requested = await requestFullSync(storeId, "manual");
    expect(requested.map((r) => [r.job.resource, r.created])).toEqual([
      ["products", true],
      ["inventory", true],
      ["orders", true],
    ]);
    // A second request while the first is queued joins it.
    const again = await requestFullSync(storeId, "manual");
    expect(again.map((r) => [r.job.id, r.created])).toEqual(requested.map((r) => [r.job.id, false]));

    const rows = await runWorkerUntil(() => waitForSyncJobs(storeId));
    emulator.bulk.startDelayMs = 0;
    expect(rows.map((row) => [row.resource, row.status, row.error])).toEqual([
      ["inventory", "succeeded", null],
      ["orders", "succeeded", null],
      ["products", "succeeded", null],
    ]);
    // Every line of each file counted once: a batch written twice would count twice.
    for (const row of rows) {
      expect(row.totalCount).toBeGreaterThan(0);
      expect(row.doneCount).toBe(row.totalCount);
      expect(row.bulkOperationId).toMatch(/^gid:\/\/shopify\/BulkOperation\//);
      expect(row.startedAt).not.toBeNull();
      expect(row.finishedAt).not.toBeNull();
    }
    // The three operations ran on the emulator at the same time: each started before any finished.
    const operations = emulator.store.getShop(SHOP)?.bulkOperations.filter(Boolean) ?? [];
    expect(operations).toHaveLength(3);
    const firstCompletion = Math.min(...operations.map((op) => op?.completedAt ?? Infinity));
    expect(operations.every((op) => (op?.createdAt ?? Infinity) <= firstCompletion)).toBe(true);

    const counts = await expectMirrorEqualsStore(emulator, SHOP, storeId);
    expect(counts.products).toBe(1_200);
    expect(counts.variants).toBeGreaterThan(1_200);
    expect(counts.locations).toBe(3);
    expect(counts.inventoryLevels).toBe(counts.variants * 3);
    expect(counts.orders).toBe(600);
    expect(counts.lineItems).toBeGreaterThan(600);

    const { db } = await import("~/db.server");
    const states = await db.shopifySyncState.findMany({ where: { storeId }, orderBy: { resource: "asc" } });
    expect(states.map((s) => [s.resource, s.lastFullSyncAt !== null, s.updatedAtCursor !== null])).toEqual([
      ["inventory", true, true],
      ["orders", true, true],
      ["products", true, true],
    ]);
  });

  it("bulk_operations/finish wakes a sync that would otherwise poll much later", async () => {
    const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
    const { onBulkOperationFinished, requestSync } = await import("~/sync/triggers.server");
    const { db } = await import("~/db.server");
    fullSyncSettings.firstPollMs = 10 * 60_000; // no poll within the test's time

    const { job } = await requestSync(storeId, { kind: "full", resource: "inventory" });
    const finished = await runWorkerUntil(async () => {
      const started = await waitFor(
        async () => (await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } })).bulkOperationId,
        10_000,
        "the bulk operation to start",
      );
      await emulator.bulk.idle();
      expect(await onBulkOperationFinished(storeId, started)).toBe(true);
      return waitFor(
        async () => {
          const row = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
          return row.status === "succeeded" && row;
        },
        10_000,
        "the woken sync to finish",
      );
    });
    expect(finished.doneCount).toBe(finished.totalCount);
    expect(await onBulkOperationFinished(storeId, "gid://shopify/BulkOperation/0")).toBe(false);
    fullSyncSettings.firstPollMs = 25;
  });
  it("of an old mirror removes what Shopify no longer has, and keeps the rest equal to the store", async () => {
    const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
    const { requestFullSync } = await import("~/sync/triggers.server");
    const { db } = await import("~/db.server");
    fullSyncSettings.firstPollMs = 25;

    // Rows Shopify does not have (deleted there while no webhook reached us): copies of real rows
    // under ids the emulator never issued, written by the app's own writer.
    const { SYNCED_TABLES } = await import("~/sync/writer/tables.server");
    const { upsertRows } = await import("~/sync/writer/upsert.server");
    const copy = async <T extends object>(table: keyof typeof SYNCED_TABLES, row: T, changes: Partial<T>) =>
      upsertRows(db, SYNCED_TABLES[table], [{ ...row, ...changes }]);
    const staleProduct = "gid://shopify/Product/990000000001";
    const staleOrder = "gid://shopify/Order/990000000001";
    const staleLocation = "gid://shopify/Location/990000000001";
    const product = await db.shopifyProduct.findFirstOrThrow({ where: { storeId, deletedAt: null } });
    await copy("products", product, { shopifyId: staleProduct });
    const variant = await db.shopifyProductVariant.findFirstOrThrow({ where: { storeId } });
    await copy("variants", variant, {
      shopifyId: "gid://shopify/ProductVariant/990000000001",
      productId: staleProduct,
    });
    await copy("variants", variant, { shopifyId: "gid://shopify/ProductVariant/990000000002" });
    await copy("orders", await db.shopifyOrder.findFirstOrThrow({ where: { storeId } }), { shopifyId: staleOrder });
    const lineItem = await db.shopifyOrderLineItem.findFirstOrThrow({ where: { storeId } });
    await copy("lineItems", lineItem, { shopifyId: "gid://shopify/LineItem/990000000001", orderId: staleOrder });
    // A line item an order edit removed: its order was written since, so it is older than its order.
    await copy("lineItems", lineItem, {
      shopifyId: "gid://shopify/LineItem/990000000002",
      orderUpdatedAt: new Date(lineItem.orderUpdatedAt.getTime() - 3_600_000),
    });
    const level = await db.shopifyInventoryLevel.findFirstOrThrow({ where: { storeId } });
    await copy("inventoryLevels", level, {
      inventoryItemId: "gid://shopify/InventoryItem/990000000001",
    });
    await copy("locations", await db.shopifyLocation.findFirstOrThrow({ where: { storeId } }), {
      shopifyId: staleLocation,
    });
    // The mirror is old: everything in it was written well before this sync.
    const longAgo = { syncedAt: new Date(Date.now() - 10 * 60_000) };
    await db.$transaction([
      db.shopifyProduct.updateMany({ where: { storeId }, data: longAgo }),
      db.shopifyProductVariant.updateMany({ where: { storeId }, data: longAgo }),
      db.shopifyOrder.updateMany({ where: { storeId }, data: longAgo }),
      db.shopifyInventoryLevel.updateMany({ where: { storeId }, data: longAgo }),
      db.shopifyLocation.updateMany({ where: { storeId }, data: longAgo }),
    ]);

    await requestFullSync(storeId, "manual");
    const rows = await runWorkerUntil(() => waitForSyncJobs(storeId));
    expect(rows.every((row) => row.status === "succeeded")).toBe(true);

    // The stale location is marked deleted (locations are kept, as reconciliation keeps them).
    const removedLocation = await db.shopifyLocation.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId, shopifyId: staleLocation } },
    });
    expect(removedLocation.deletedAt).not.toBeNull();
    expect(removedLocation.isActive).toBe(false);
    await db.shopifyLocation.delete({ where: { storeId_shopifyId: { storeId, shopifyId: staleLocation } } });
    // Everything else equals the store again: the stale product tombstoned, its variant, the stale
    // variant, order, line items and level gone.
    await expectMirrorEqualsStore(emulator, SHOP, storeId, { tombstones: [staleProduct] });
  });
});
