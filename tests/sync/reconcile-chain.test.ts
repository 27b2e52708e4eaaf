// The reconciliation chain survives any failure of one run (issue 12, item 3;
// docs/decisions/0019-recurring-work.md): a run that fails with an error retrying cannot fix still
// schedules the next one; the queue's permanent-failure hook schedules it when the run could not; a
// chain lost anyway (a worker that died on a run's last attempt) is found overdue and scheduled again.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetShopApiStates } from "~/admin-api/client.server";
import { db } from "~/db.server";
import { queueDepth, runUntilIdle, type JobInfo } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { repairOverdueReconciliations } from "~/sync/reconcile/schedule.server";
import {
  RECONCILE_TASK,
  enqueueReconciliation as scheduleNextReconciliation,
} from "~/sync/tasks/sync/reconcile.server";
import { jobsWithKeyPrefix, removeJobsWithKeyPrefix } from "../support/queue-jobs";
import { installShop, startSyncHarness, type SyncHarness } from "./support";

const HOUR = 3_600_000;
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => resetShopApiStates());

const chainOf = (storeId: number) => jobsWithKeyPrefix(`sync/reconcile:${storeId}:`);

function gaveUp(payload: unknown): JobInfo {
  return {
    id: "1",
    taskIdentifier: RECONCILE_TASK,
    queueName: null,
    jobKey: null,
    attempts: 25,
    maxAttempts: 25,
    runAt: new Date(),
    lastError: "worker crashed",
    payload,
  };
}

describe("the reconciliation chain", () => {
  it("schedules the next run after a failure retrying cannot fix (a locked shop's 423)", async () => {
    const store = await installShop(h, "chain-locked.myshopify.com", { products: 3, orders: 1 });
    await h.control("POST", "/faults", { shop: store.shop, error5xxRate: 1, errorStatus: 423 });
    await scheduleNextReconciliation(store, "products", new Date());
    const before = Date.now();
    await runUntilIdle({ tasks, onPermanentFailure });
    await h.control("DELETE", `/faults?shop=${store.shop}`);

    const run = await db.shopifySyncJob.findFirstOrThrow({ where: { storeId: store.id, kind: "reconcile" } });
    expect(run.status).toBe("failed");
    expect(run.error).toContain("423");
    const chain = await chainOf(store.id);
    expect(chain.map((job) => job.key)).toEqual([`sync/reconcile:${store.id}:products`]);
    // One interval (reconcileEveryHours, 24) after the failed run, as after a successful one.
    expect(chain[0]?.runAt.getTime()).toBeGreaterThanOrEqual(before + 24 * HOUR - 60_000);
    expect(chain[0]?.attempts).toBe(0);
    expect((await queueDepth()).ready).toBe(0);
  });

  it("is continued by the queue's permanent-failure hook when the run could not schedule it", async () => {
    const store = await installShop(h, "chain-hook.myshopify.com", { products: 1, orders: 0 });
    await onPermanentFailure(gaveUp({ storeId: store.id, resource: "orders", trigger: "schedule" }), new Error("x"));
    const chain = await chainOf(store.id);
    expect(chain.map((job) => job.key)).toEqual([`sync/reconcile:${store.id}:orders`]);
    // Idempotent: a second report neither adds a job nor moves the scheduled one.
    await onPermanentFailure(gaveUp({ storeId: store.id, resource: "orders" }), new Error("x"));
    expect(await chainOf(store.id)).toEqual(chain);

    // An uninstalled store's chain stays ended.
    await removeJobsWithKeyPrefix(`sync/reconcile:${store.id}:`);
    await db.shopifyStore.update({ where: { id: store.id }, data: { status: "uninstalled" } });
    await onPermanentFailure(gaveUp({ storeId: store.id, resource: "orders" }), new Error("x"));
    expect(await chainOf(store.id)).toEqual([]);
  });

  it("is scheduled again when lost: a store two intervals without reconciliation is repaired", async () => {
    const lost = await installShop(h, "chain-lost.myshopify.com", { products: 1, orders: 0 });
    const fresh = await installShop(h, "chain-fresh.myshopify.com", { products: 1, orders: 0 });
    const now = new Date();
    await db.shopifyStore.update({
      where: { id: lost.id },
      data: { installedAt: new Date(now.getTime() - 72 * HOUR) },
    });
    // Two resources reconciled lately, one (inventory) not for three days.
    for (const resource of ["products", "orders"]) {
      await db.shopifySyncState.create({
        data: { storeId: lost.id, resource, lastReconciledAt: new Date(now.getTime() - HOUR) },
      });
    }
    expect(await chainOf(lost.id)).toEqual([]);

    expect(await repairOverdueReconciliations(now)).toBe(1);
    const chain = await chainOf(lost.id);
    expect(chain.map((job) => job.key).sort()).toEqual(
      ["inventory", "orders", "products"].map((resource) => `sync/reconcile:${lost.id}:${resource}`),
    );
    // The overdue one at once, the others one interval after their last run.
    expect(chain.find((job) => job.key.endsWith(":inventory"))?.runAt.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(chain.find((job) => job.key.endsWith(":orders"))?.runAt.getTime()).toBe(now.getTime() + 23 * HOUR);
    expect(await chainOf(fresh.id)).toEqual([]); // installed just now: its first run is not due yet
  });
});
