// Test support for the core surfaces: an in-process emulator with one seeded shop and a fake clock,
// plus a tiny Admin GraphQL client that keeps the raw body (to check big ids and escaping).
import { FakeClock } from "./clock";
import { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
import type { SeedParams } from "./state/seed";

export const TEST_SHOP = "core-test.myshopify.com";
export const TEST_TOKEN = "shpat_core_test_token";

export interface CoreHarness {
  emu: RunningEmulator;
  clock: FakeClock;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary GraphQL shapes
  gql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    opts?: { token?: string; shop?: string },
  ): Promise<{ status: number; body: T; raw: string }>;
  control<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function startCore(seed: SeedParams = {}, options: EmulatorOptions = {}): Promise<CoreHarness> {
  const clock = new FakeClock(Date.parse("2026-01-15T12:00:00Z"));
  const emu = await startEmulator({
    port: 0,
    clock,
    timeScale: 0.001,
    bulkStartDelayMs: 0,
    tomlPath: null,
    app: { apiKey: "core-api-key", apiSecret: "core-secret", appUrl: "http://127.0.0.1:9", webhookSubscriptions: [] },
    seed: {
      shop: TEST_SHOP,
      accessToken: TEST_TOKEN,
      from: "2025-06-01T00:00:00Z",
      to: "2025-12-31T00:00:00Z",
      ...seed,
    },
    ...options,
  });
  return {
    emu,
    clock,
    async gql(query, variables = {}, opts = {}) {
      const res = await fetch(`${emu.url}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-forwarded-host": opts.shop ?? TEST_SHOP,
          "x-shopify-access-token": opts.token ?? TEST_TOKEN,
        },
        body: JSON.stringify({ query, variables }),
      });
      const raw = await res.text();
      return { status: res.status, body: JSON.parse(raw), raw };
    },
    async control(method, path, body) {
      const res = await fetch(`${emu.url}${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}
