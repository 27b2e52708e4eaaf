// One order-history rule (app/sync/order-history.ts, docs/decisions/0024): the store's setting decides
// how far back the full sync reads, capped at Shopify's 60 days unless the store granted
// read_all_orders; the incremental sync and reconciliation read the same window.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resetShopApiStates } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import { runFullSyncStep } from "~/sync/full-sync/run.server";
import { runIncrementalSync, type SyncStore } from "~/sync/incremental/incremental.server";
import { createSyncJob } from "~/sync/jobs.server";
import { orderHistory } from "~/sync/order-history";
import { runReconciliation } from "~/sync/reconcile/reconcile.server";
import { installedOfflineSession } from "../support/shopify-requests";
import { clientOptions, SCOPES, START, startSyncHarness, type SyncHarness } from "./support";

const DAY = 86_400_000;
let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => resetShopApiStates());

const now = () => new Date(h.clock.now());

let shops = 0;
/** A shop with 80 orders over the 400 days before START, installed with or without read_all_orders. */
async function install(orderHistoryDays: number, allOrders: boolean): Promise<SyncStore> {
  const shop = `history-${++shops}.myshopify.com`;
  const scopes = allOrders ? [...SCOPES, "read_all_orders"] : SCOPES;
  const session = installedOfflineSession(shop);
  await h.control("POST", "/shops", {
    shop,
    scopes,
    accessToken: session.accessToken,
    replace: true,
    seed: {
      products: 3,
      orders: 80,
      from: new Date(START - 400 * DAY).toISOString(),
      to: new Date(START - DAY).toISOString(),
    },
  });
  const { sessionStorage } = await import("~/shopify.server");
  session.scope = scopes.join(",");
  await sessionStorage.storeSession(session);
  const row = await db.shopifyStore.create({
    data: { shop, name: shop, currencyCode: "USD", grantedScopes: scopes.join(","), orderHistoryDays },
  });
  return { id: row.id, shop, grantedScopes: row.grantedScopes, orderHistoryDays };
}

async function seededOrdersSince(shop: string, days: number): Promise<number> {
  const store = await h.control<{ orders: Array<{ createdAt: string }> }>("GET", `/shops/${shop}/store`);
  return store.orders.filter((o) => Date.parse(o.createdAt) >= h.clock.now() - days * DAY).length;
}

async function fullSyncOrders(store: SyncStore) {
  const job = await createSyncJob({ storeId: store.id, kind: "full", resource: "orders", trigger: "manual" });
  const client = adminClientFor(store.shop, clientOptions(h));
  for (let step = 0; step < 50; step++) {
    if ((await runFullSyncStep({ syncJobId: job.id }, { client, now })) === "completed") return;
    await h.emulator.bulk.idle();
  }
  throw new Error("the full sync did not complete");
}

describe("orderHistory", () => {
  const at = new Date("2026-06-01T00:00:00Z");
  it.each([
    [30, false, 30, false],
    [60, false, 60, false],
    [365, false, 60, true],
    [30, true, 30, false],
    [60, true, 60, false],
    [365, true, 365, false],
  ])("setting %i days, read_all_orders %s: %i days (capped: %s)", (setting, allOrders, days, capped) => {
    const scopes = allOrders ? "read_orders,read_all_orders" : "read_orders";
    const history = orderHistory({ grantedScopes: scopes, orderHistoryDays: setting }, at);
    expect(history).toEqual({ days, from: new Date(at.getTime() - days * DAY), allOrders, cappedByShopify: capped });
  });
});

describe("the order-history setting drives what the syncs read", () => {
  it.each([
    [30, false, 30],
    [60, false, 60],
    [365, false, 60],
    [30, true, 30],
    [60, true, 60],
    [365, true, 365],
  ])(
    "setting %i days, read_all_orders %s: the full sync reads the last %i days, incremental and reconciliation keep them",
    async (setting, allOrders, days) => {
      const store = await install(setting, allOrders);
      const expected = await seededOrdersSince(store.shop, days);
      expect(expected).toBeGreaterThan(0);
      await fullSyncOrders(store);
      const rows = await db.shopifyOrder.findMany({ where: { storeId: store.id }, select: { shopifyCreatedAt: true } });
      expect(rows).toHaveLength(expected);
      const from = h.clock.now() - days * DAY;
      expect(rows.every((r) => r.shopifyCreatedAt.getTime() >= from)).toBe(true);

      // The incremental pass and reconciliation use the same window: nothing older arrives, nothing
      // inside it is judged deleted.
      const client = adminClientFor(store.shop, clientOptions(h));
      const incremental = await runIncrementalSync({ store, resource: "orders", client, now });
      expect(incremental.read).toBe(0); // nothing changed since the full sync
      await db.shopifySyncState.deleteMany({ where: { storeId: store.id } }); // from scratch: the whole window
      const fromScratch = await runIncrementalSync({ store, resource: "orders", client, now });
      expect(fromScratch.read).toBe(expected);
      const reconciled = await runReconciliation({ store, resource: "orders", client, now });
      expect(reconciled.listed).toBe(expected);
      expect(reconciled.removed).toBe(0);
      expect(await db.shopifyOrder.count({ where: { storeId: store.id } })).toBe(expected);
    },
  );
});
