// A full sync whose bulk file is gone when it resumes (app/sync/full-sync/run.server.ts, `restart`):
// a worker stopped the sync at a checkpoint after some batches; when it resumed, the result URL
// answered 403 ExpiredToken (the emulator's `expiredBulkUrls` fault, as an expired GCS URL does), so
// the sync started a new bulk operation and read the whole file again. Its progress must count every
// row once: the lines counted before the restart are read again, so they must not stay counted.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetShopApiStates } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { fullSyncSettings, runFullSyncStep, type StepOutcome } from "~/sync/full-sync/run.server";
import { createSyncJob, type SyncUnitCounts } from "~/sync/jobs.server";
import { clientOptions, installShop, startSyncHarness, type SyncHarness } from "./support";

const SHOP = "full-sync-restart.myshopify.com";
const settings = { ...fullSyncSettings };
let h: SyncHarness;

beforeAll(async () => {
  h = await startSyncHarness();
});
afterEach(() => {
  Object.assign(fullSyncSettings, settings);
  resetShopApiStates();
});
afterAll(async () => {
  await h?.close();
});

const linesCommitted = (checkpoint: unknown) => (checkpoint as { linesCommitted?: number } | null)?.linesCommitted ?? 0;

describe("a full sync that restarts its bulk operation", () => {
  it("counts every row once: doneCount and doneByUnit equal the rows of the new file", async () => {
    const store = await installShop(h, SHOP, { products: 40, orders: 0, maxVariants: 3, exactVariants: true });
    const job = await createSyncJob({ storeId: store.id, kind: "full", resource: "products", trigger: "manual" });
    const client = adminClientFor(SHOP, clientOptions(h));
    const now = () => new Date(h.clock.now());
    const step = (signal?: AbortSignal): Promise<StepOutcome> =>
      runFullSyncStep({ syncJobId: job.id }, { client, now, signal });

    // Start the operation and wait for Shopify's file.
    expect(await step()).toBe("started");
    await h.emulator.bulk.idle();

    // Write part of the file, then stop at a checkpoint as a worker shutting down does: small batches
    // with a pause, and the stop requested once the first batch is committed.
    Object.assign(fullSyncSettings, { batchLines: 10, pauseBetweenBatchesMs: 100 });
    const stop = new AbortController();
    const stopped = step(stop.signal);
    for (;;) {
      const row = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
      if (linesCommitted(row.checkpoint) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    stop.abort();
    await expect(stopped).rejects.toThrow(/stopped at a checkpoint/);
    const atStop = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(atStop.doneCount).toBeGreaterThan(0);
    expect(atStop.doneCount).toBeLessThan(atStop.totalCount ?? 0);

    // The resumed step finds the file gone: it restarts the bulk operation.
    await h.control("POST", "/faults", { shop: SHOP, expiredBulkUrls: true });
    try {
      expect(await step()).toBe("waiting");
    } finally {
      await h.control("DELETE", `/faults?shop=${SHOP}`);
    }
    const restarted = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(restarted.checkpoint).toBeNull();

    // The new operation runs and its file is written from the first line.
    let outcome: StepOutcome | undefined;
    for (let i = 0; i < 20 && outcome !== "completed"; i++) {
      outcome = await step();
      await h.emulator.bulk.idle();
    }
    expect(outcome).toBe("completed");

    const done = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
    const products = await db.shopifyProduct.count({ where: { storeId: store.id } });
    const variants = await db.shopifyProductVariant.count({ where: { storeId: store.id } });
    expect(done.bulkOperationId).not.toBe(atStop.bulkOperationId);
    expect(products).toBe(40);
    // One line per product and per variant in the products file.
    expect(done.totalCount).toBe(products + variants);
    expect(done.doneCount).toBe(done.totalCount);
    expect(done.doneByUnit as SyncUnitCounts).toEqual({
      products,
      variants,
      orders: 0,
      locations: 0,
      stockLevels: 0,
    });
  }, 60_000);
});
