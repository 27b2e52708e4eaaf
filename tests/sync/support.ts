// Test support for the incremental sync and reconciliation: the emulator in-process on a fake clock
// (tests/support/emulator.ts), shops seeded in it and installed in our database
// (tests/support/store.ts), and an Admin client whose waits advance the emulator's clock, so pacing is
// exact and fast. Mirrors are compared with tests/support/mirror.ts.
import type { AdminClientOptions } from "~/admin-api/client.server";
import type { Clock } from "~/admin-api/clock.server";
import { FakeClock, type Plan } from "../../tools/shopify-emulator/src/testing";
import { startTestEmulator, pointAppAtEmulator, type TestEmulator } from "../support/emulator";
import { installStore, seedShop } from "../support/store";

export const SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders"];
export const START = Date.parse("2026-01-15T12:00:00Z");

export interface SyncHarness {
  emulator: TestEmulator;
  clock: FakeClock;
  /** Sleeps advance the emulator's clock (its leaky bucket refills by it). */
  appClock: Clock;
  control: TestEmulator["control"];
  close(): Promise<void>;
}

export async function startSyncHarness(): Promise<SyncHarness> {
  const clock = new FakeClock(START);
  const emulator = await startTestEmulator({ clock, app: { scopes: SCOPES, webhookSubscriptions: [] } });
  pointAppAtEmulator(emulator); // import app/shopify.server.ts after this
  const appClock: Clock = {
    now: () => clock.now(),
    sleep: async (ms) => {
      clock.advance(ms);
    },
  };
  return { emulator, clock, appClock, control: emulator.control, close: () => emulator.close() };
}

/** Seeds `shop` in the emulator and installs it in our database; returns the store as the sync needs it. */
export async function installShop(
  h: SyncHarness,
  shop: string,
  seed: { products: number; orders: number; locations?: number; maxVariants?: number; exactVariants?: boolean },
  plan: Plan = "standard",
) {
  await seedShop(h.emulator, shop, {
    scopes: SCOPES,
    plan,
    seed: {
      ...seed,
      // Inside the 60 days Shopify shows without read_all_orders (by the emulator's clock).
      from: new Date(START - 30 * 86_400_000).toISOString(),
      to: new Date(START - 86_400_000).toISOString(),
    },
  });
  const { id, grantedScopes, orderHistoryDays } = await installStore(shop, { scopes: SCOPES });
  return { id, shop, grantedScopes, orderHistoryDays };
}

/** Client options for tests: the emulator's clock, and quick retries. */
export function clientOptions(h: SyncHarness): Omit<AdminClientOptions, "shop"> {
  return { clock: h.appClock, retry: { maxAttempts: 8, baseDelayMs: 5, maxDelayMs: 50 } };
}
