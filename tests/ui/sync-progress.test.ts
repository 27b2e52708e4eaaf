// A sync's progress as the merchant reads it (app/view-models/sync-progress.ts): counted in products, variants,
// orders and stock levels rather than bulk-file lines, with the time left, and a duration that is the
// wall time from the request — with the time spent waiting for Shopify's bulk file shown — rather than
// from the moment a worker picked it up. Then a real full sync on the emulator (bulk operations, the
// queue's worker, the database) fills those counts and the file-ready time.
import type { ShopifySyncJob } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../support/emulator";
import { installSyncStore, runWorkerUntil, startSyncEmulator, waitForSyncJobs } from "../sync/full-sync.support";
import { syncProgressView, timeLeftMs, waitingMs, wallTimeMs } from "~/view-models/sync-progress";

const at = (seconds: number) => new Date(Date.UTC(2026, 11, 3, 12, 0, seconds));

function job(overrides: Partial<ShopifySyncJob>): ShopifySyncJob {
  return {
    id: "job-1",
    storeId: 1,
    kind: "full",
    resource: "products",
    trigger: "manual",
    status: "running",
    doneCount: 0,
    totalCount: null,
    doneByUnit: null,
    fileReadyAt: null,
    costSpent: 0,
    checkpoint: null,
    bulkOperationId: null,
    error: null,
    createdAt: at(0),
    startedAt: at(1),
    finishedAt: null,
    updatedAt: at(1),
    ...overrides,
  };
}

describe("a sync job's progress, in the merchant's units", () => {
  it("while Shopify prepares the file: waiting, counted from the request, no estimate yet", () => {
    const waiting = job({ status: "running" });
    const view = syncProgressView(waiting, at(12));
    expect(view).toMatchObject({
      written: "0 products · 0 variants",
      percent: null,
      phase: "Shopify is preparing the bulk file",
      timeLeft: null,
      duration: "12.0 s",
      waiting: "12.0 s waiting for Shopify's file",
    });
  });

  it("while writing: products and variants written, share of the file, and the time left at the rate so far", () => {
    // File ready after 20 s; 10 s of writing covered 2,500 of 10,000 lines: 30 s to go.
    const writing = job({
      fileReadyAt: at(20),
      totalCount: 10_000,
      doneCount: 2_500,
      doneByUnit: { products: 500, variants: 2_000 },
    });
    expect(timeLeftMs(writing, at(30))).toBe(30_000);
    expect(syncProgressView(writing, at(30))).toMatchObject({
      written: "500 products · 2,000 variants",
      percent: 25,
      phase: "Writing",
      timeLeft: "about 30.0 s left",
      duration: "30.0 s",
      waiting: "20.0 s waiting for Shopify's file",
    });
  });

  it("finished: the wall time from the request, not from the worker's start, with its waiting part", () => {
    // Requested at 0, picked up at 1, file ready at 20, finished at 28: 28 s, of which 20 s waiting
    // (the job list used to say 27 s — or 3.8 s when a resumed step restarted the clock).
    const done = job({
      resource: "orders",
      status: "succeeded",
      fileReadyAt: at(20),
      finishedAt: at(28),
      totalCount: 10_438,
      doneCount: 10_438,
      doneByUnit: { orders: 3_000 },
    });
    expect(wallTimeMs(done, at(99))).toBe(28_000);
    expect(waitingMs(done, at(99))).toBe(20_000);
    expect(syncProgressView(done, at(99))).toMatchObject({
      written: "3,000 orders",
      percent: 100,
      phase: null,
      timeLeft: null,
      duration: "28.0 s",
      waiting: "20.0 s waiting for Shopify's file",
    });
  });

  it("incremental syncs count the records they read, and have no file to wait for", () => {
    const incremental = job({ kind: "incremental", resource: "inventory", status: "succeeded", doneCount: 1 });
    expect(syncProgressView(incremental, at(5))).toMatchObject({ written: "1 stock level", waiting: null });
  });
});

describe("a full sync fills the counts", () => {
  const SHOP = "sync-progress.myshopify.com";
  let emulator: RunningEmulator;
  let storeId: number;

  beforeAll(async () => {
    emulator = await startSyncEmulator(SHOP, { products: 150, maxVariants: 3, locations: 2, orders: 120 });
    storeId = (await installSyncStore(SHOP)).id;
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it("counts what it wrote per unit, and when the bulk file was ready", async () => {
    const { db } = await import("~/db.server");
    const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
    const { requestFullSync } = await import("~/sync/triggers.server");
    const { jobView } = await import("~/view-models/sync.server");
    fullSyncSettings.firstPollMs = 25;
    fullSyncSettings.batchLines = 100;
    await requestFullSync(storeId, "manual");
    const rows = await runWorkerUntil(() => waitForSyncJobs(storeId));

    const where = { storeId };
    const stored = {
      products: await db.shopifyProduct.count({ where }),
      variants: await db.shopifyProductVariant.count({ where }),
      locations: await db.shopifyLocation.count({ where }),
      stockLevels: await db.shopifyInventoryLevel.count({ where }),
      orders: await db.shopifyOrder.count({ where }),
    };
    expect(stored.products).toBe(150);
    const byResource = Object.fromEntries(rows.map((row) => [row.resource, row]));
    expect(byResource.products?.doneByUnit).toEqual({
      products: stored.products,
      variants: stored.variants,
      orders: 0,
      locations: 0,
      stockLevels: 0,
    });
    expect(byResource.inventory?.doneByUnit).toMatchObject({
      locations: stored.locations,
      stockLevels: stored.stockLevels,
    });
    expect(byResource.orders?.doneByUnit).toMatchObject({ orders: stored.orders });

    for (const row of rows) {
      expect(row.status).toBe("succeeded");
      expect(row.fileReadyAt).not.toBeNull();
      expect(row.fileReadyAt!.getTime()).toBeGreaterThanOrEqual(row.createdAt.getTime());
      expect(row.fileReadyAt!.getTime()).toBeLessThanOrEqual(row.finishedAt!.getTime());
    }
    const view = jobView(byResource.products!, null);
    expect(view.written).toBe(`${stored.products} products · ${stored.variants} variants`);
    expect(view.percent).toBe(100);
    expect(view.waiting).toMatch(/waiting for Shopify's file$/);
  });
});
