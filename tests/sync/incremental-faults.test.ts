// The incremental sync under a bad day at Shopify (10% of calls failing: 5xx, connection resets,
// THROTTLED) still mirrors the shop exactly; and on a small bucket (standard plan, 2000 points,
// 100/s) with many page calls, pacing waits (requested − available) / restoreRate and nothing is
// THROTTLED.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetShopApiStates } from "~/admin-api/client.server";
import { onAdminApiEvent, type AdminCallEvent } from "~/admin-api/events.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { runIncrementalSync, type SyncStore } from "~/sync/incremental/incremental.server";
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
const RESOURCES: SyncResource[] = ["products", "inventory", "orders"];

async function sync(store: SyncStore, pageSize?: number) {
  const client = adminClientFor(store.shop, clientOptions(h));
  for (const resource of RESOURCES) await runIncrementalSync({ store, resource, client, now, pageSize });
}

describe("incremental sync under faults and pacing", () => {
  it("completes correctly with 10% of calls failing (5xx, resets, THROTTLED)", async () => {
    const clean = await installShop(h, "faults-clean.myshopify.com", { products: 60, orders: 40, maxVariants: 3 });
    await sync(clean);
    expect(events.filter((e) => e.outcome !== "ok")).toEqual([]); // normal running: no THROTTLED, no retries

    const faulty = await installShop(h, "faults-faulty.myshopify.com", { products: 60, orders: 40, maxVariants: 3 });
    await h.control("POST", "/faults", {
      shop: faulty.shop,
      seed: 7,
      error5xxRate: 0.04,
      resetRate: 0.03,
      throttledRate: 0.03,
    });
    events = [];
    try {
      // Small pages: more calls, so more faults.
      await sync(faulty, 10);
    } finally {
      await h.control("DELETE", `/faults?shop=${faulty.shop}`);
    }
    const failures = events.filter((e) => e.outcome !== "ok");
    expect(new Set(failures.map((e) => e.outcome))).toEqual(new Set(["http_5xx", "network", "throttled"]));
    expect(failures.length / events.length).toBeGreaterThan(0.04);
    await expectMirrorEqualsStore(h.emulator, faulty.shop, faulty.id);
  });

  it("paces a small bucket: many page calls, no THROTTLED, waits of (requested − available) / restoreRate", async () => {
    const store = await installShop(
      h,
      "pacing.myshopify.com",
      { products: 200, orders: 0, maxVariants: 8, exactVariants: true },
      "standard",
    );
    const client = adminClientFor(store.shop, clientOptions(h));
    // A page of 10 products requests 122 points and uses ~62: four full passes of 20 pages spend
    // ~5,000 points from a 2,000 bucket refilling at 100/s, so pacing must hold requests back.
    for (let pass = 0; pass < 4; pass++) {
      await db.shopifySyncState.deleteMany({ where: { storeId: store.id } });
      const result = await runIncrementalSync({ store, resource: "products", client, now, pageSize: 10 });
      expect(result.pages).toBe(20);
    }
    expect(await db.shopifyProduct.count({ where: { storeId: store.id } })).toBe(200);

    const calls = events.filter((e) => e.operation === "ProductsPage");
    expect(calls.every((e) => e.outcome === "ok")).toBe(true);
    const paced = calls.filter((e) => e.pacedMs > 0);
    expect(paced.length).toBeGreaterThan(5);
    // The emulator's clock moves only when the client waits, so each wait is exactly the formula,
    // computed from the previous response's throttleStatus and the learned requested cost.
    for (const event of paced) {
      const previous = calls[calls.indexOf(event) - 1]?.cost;
      if (!previous) throw new Error("a paced call without a previous response");
      const { currentlyAvailable, restoreRate } = previous.throttleStatus;
      expect(event.pacedMs).toBe(Math.ceil(((previous.requestedQueryCost - currentlyAvailable) / restoreRate) * 1000));
    }
  });
});
