// Test support for the full sync: the emulator with one seeded shop (tests/support/emulator.ts), that
// shop installed with the scopes the full sync reads with, and waiting for its jobs.
import pino from "pino";
import { startTestEmulator, pointAppAtEmulator, type TestEmulator } from "../support/emulator";
import { installedOfflineSession } from "../support/shopify-requests";
import { installStore, type InstalledStore } from "../support/store";

export const SYNC_SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders", "read_all_orders"];

export interface SeededShop {
  products: number;
  maxVariants: number;
  locations: number;
  orders: number;
}

export async function startSyncEmulator(shop: string, seed: SeededShop): Promise<TestEmulator> {
  const emulator = await startTestEmulator({
    bulkStartDelayMs: 0,
    app: { scopes: SYNC_SCOPES, webhookSubscriptions: [] },
    seed: { shop, accessToken: installedOfflineSession(shop).accessToken, seed: shop, ...seed },
  });
  pointAppAtEmulator(emulator); // import app/shopify.server.ts after this
  return emulator;
}

/**
 * `shop` installed with SYNC_SCOPES. With read_all_orders the store's order history applies as set
 * (app/sync/order-history.ts): ten years, so the seeded orders are all inside it.
 */
export function installSyncStore(shop: string): Promise<InstalledStore> {
  return installStore(shop, { scopes: SYNC_SCOPES, orderHistoryDays: 3650 });
}

export async function waitFor<T>(check: () => Promise<T | undefined | false>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Waits until every sync job row of the store is finished; returns them. */
export async function waitForSyncJobs(storeId: number, timeoutMs = 60_000) {
  const { db } = await import("~/db.server");
  return waitFor(
    async () => {
      const rows = await db.shopifySyncJob.findMany({ where: { storeId }, orderBy: { resource: "asc" } });
      return rows.length > 0 && rows.every((row) => !["queued", "running"].includes(row.status)) && rows;
    },
    timeoutMs,
    "the sync jobs to finish",
  );
}

/** Runs the queue's worker (every task) until `until` resolves, then stops it. */
export async function runWorkerUntil<T>(until: () => Promise<T>): Promise<T> {
  const { startWorker } = await import("~/sync/queue.server");
  const { onPermanentFailure, tasks } = await import("~/sync/tasks/index.server");
  const worker = await startWorker({
    tasks,
    onPermanentFailure,
    pollIntervalMs: 25,
    logger: pino({ level: "silent" }),
  });
  try {
    return await until();
  } finally {
    await worker.stop();
  }
}
