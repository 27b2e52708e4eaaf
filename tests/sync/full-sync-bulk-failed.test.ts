// A full sync whose bulk operation ends FAILED (app/sync/full-sync/run.server.ts; ADR 0044), end to
// end through the queue's worker and the emulator over HTTP. Shopify documents INTERNAL_SERVER_ERROR
// and TIMEOUT as worth running again and ACCESS_DENIED as missing access
// (the Admin schema 2026-10 in tools/admin-schema/data, enum BulkOperationErrorCode): the first restart the operation
// (a bounded number of times), the second fail the sync at once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../support/emulator";
import { expectMirrorEqualsStore } from "../support/mirror";
import { installSyncStore, runWorkerUntil, startSyncEmulator, waitForSyncJobs } from "./full-sync.support";

const SHOP = "full-sync-bulk-failed.myshopify.com";
let emulator: RunningEmulator & { control<T = unknown>(method: string, path: string, body?: unknown): Promise<T> };
let storeId: number;
let defaults: Record<string, unknown>;

beforeAll(async () => {
  emulator = await startSyncEmulator(SHOP, { products: 40, maxVariants: 3, locations: 2, orders: 30 });
  storeId = (await installSyncStore(SHOP)).id;
  const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
  defaults = { ...fullSyncSettings };
});

afterEach(async () => {
  const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
  Object.assign(fullSyncSettings, defaults);
  await emulator.control("DELETE", `/faults?shop=${SHOP}`);
});

afterAll(async () => {
  await emulator?.close();
});

/** Quick polls, and the restart backoff in milliseconds rather than seconds. */
async function quickSettings() {
  const { fullSyncSettings } = await import("~/sync/full-sync/run.server");
  Object.assign(fullSyncSettings, { firstPollMs: 20, batchLines: 50, restartBackoff: { baseMs: 20, maxMs: 100 } });
  return fullSyncSettings;
}

/** The shop's bulk operations on the emulator, oldest first. */
async function bulkOperations() {
  const { bulkOperations } = await emulator.control<{
    bulkOperations: Array<{ id: string; status: string; errorCode: string | null; url: string | null }>;
  }>("GET", `/shops/${SHOP}/bulk-operations`);
  return bulkOperations;
}

const restartsOf = (checkpoint: unknown) => (checkpoint as { restarts?: number } | null)?.restarts ?? 0;

describe("a full sync whose bulk operation fails", () => {
  it("restarts an operation that failed with INTERNAL_SERVER_ERROR and mirrors the store", async () => {
    await quickSettings();
    const { requestFullSync } = await import("~/sync/triggers.server");
    await emulator.control("POST", `/shops/${SHOP}/bulk-operations/fail-next`, { errorCode: "INTERNAL_SERVER_ERROR" });

    await requestFullSync(storeId, "manual");
    const rows = await runWorkerUntil(() => waitForSyncJobs(storeId));

    expect(rows.map((row) => [row.resource, row.status, row.error])).toEqual([
      ["inventory", "succeeded", null],
      ["orders", "succeeded", null],
      ["products", "succeeded", null],
    ]);
    // One operation failed the way Shopify's do (no url), and its resource ran a second one.
    const operations = await bulkOperations();
    const failed = operations.filter((op) => op.status === "FAILED");
    expect(failed).toEqual([expect.objectContaining({ errorCode: "INTERNAL_SERVER_ERROR", url: null })]);
    expect(operations).toHaveLength(4);
    expect(rows.map((row) => restartsOf(row.checkpoint)).sort()).toEqual([0, 0, 1]);
    const restarted = rows.find((row) => restartsOf(row.checkpoint) === 1);
    expect(restarted?.bulkOperationId).not.toBe(failed[0]?.id);
    // Every line of each final file counted once: the failed operation's progress was cleared.
    for (const row of rows) {
      expect(row.totalCount).toBeGreaterThan(0);
      expect(row.doneCount).toBe(row.totalCount);
    }
    const counts = await expectMirrorEqualsStore(emulator, SHOP, storeId);
    expect(counts.products).toBe(40);
    expect(counts.orders).toBe(30);
  }, 60_000);

  it("fails at once, naming ACCESS_DENIED, when Shopify denies the operation access", async () => {
    await quickSettings();
    const { requestSync } = await import("~/sync/triggers.server");
    const before = (await bulkOperations()).length;
    await emulator.control("POST", `/shops/${SHOP}/bulk-operations/fail-next`, { errorCode: "ACCESS_DENIED" });

    const { job } = await requestSync(storeId, { kind: "full", resource: "products" });
    const rows = await runWorkerUntil(() => waitForSyncJobs(storeId));
    const row = rows.find((r) => r.id === job.id);

    expect(row?.status).toBe("failed");
    expect(row?.error).toContain("ACCESS_DENIED");
    expect(row?.error).toMatch(/access scopes|permission/i);
    expect(restartsOf(row?.checkpoint)).toBe(0);
    // No second operation was started.
    expect((await bulkOperations()).length).toBe(before + 1);
  }, 60_000);

  it("gives up after the bounded restarts when every operation fails with TIMEOUT", async () => {
    const settings = await quickSettings();
    const { requestSync } = await import("~/sync/triggers.server");
    const before = (await bulkOperations()).length;
    await emulator.control("POST", "/faults", { shop: SHOP, bulkFailRate: 1, bulkErrorCode: "TIMEOUT" });

    const { job } = await requestSync(storeId, { kind: "full", resource: "products" });
    const rows = await runWorkerUntil(() => waitForSyncJobs(storeId));
    const row = rows.find((r) => r.id === job.id);

    expect(settings.maxBulkRestarts).toBe(3);
    expect(row?.status).toBe("failed");
    expect(row?.error).toContain("TIMEOUT");
    expect(row?.error).toContain("3 restarts");
    expect(restartsOf(row?.checkpoint)).toBe(3);
    // The first operation and three restarts, all failed.
    const operations = (await bulkOperations()).slice(before);
    expect(operations.map((op) => [op.status, op.errorCode])).toEqual(Array(4).fill(["FAILED", "TIMEOUT"]));
  }, 60_000);
});
