// Production start-up refusals (docs/decisions/0016-trust-boundary.md), /metrics in production, and
// /healthz without raw database errors.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXAMPLE_TOKEN_KEY, InvalidEnvironmentError, parseEnv } from "./env.server";
import { checkHealth } from "./observability/health.server";
import { scrapeAllowed } from "./observability/metrics.server";

const production = {
  NODE_ENV: "production",
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://shop-sync.example.com",
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString("base64")}`,
};

function refusals(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
    return [];
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.issues;
    throw error;
  }
}

describe("production start-up", () => {
  it("starts with a real key and no emulator", () => {
    expect(refusals(production)).toEqual([]);
  });

  it("knows .env.example's key", () => {
    const example = /^TOKEN_ENCRYPTION_KEYS=\w+:(\S+)$/m.exec(readFileSync(".env.example", "utf8"))?.[1];
    expect(example).toBe(EXAMPLE_TOKEN_KEY);
  });

  it("refuses the example key, alone or beside others", () => {
    expect(refusals({ ...production, TOKEN_ENCRYPTION_KEYS: `k1:${EXAMPLE_TOKEN_KEY}` })).toEqual([
      expect.stringMatching(/^TOKEN_ENCRYPTION_KEYS: the example key/),
    ]);
    const rotated = `${production.TOKEN_ENCRYPTION_KEYS},k2:${EXAMPLE_TOKEN_KEY}`;
    expect(refusals({ ...production, TOKEN_ENCRYPTION_KEYS: rotated })).toHaveLength(1);
    // Development may use it (.env.example works offline).
    expect(
      refusals({ ...production, NODE_ENV: "development", TOKEN_ENCRYPTION_KEYS: `k1:${EXAMPLE_TOKEN_KEY}` }),
    ).toEqual([]);
  });

  it("refuses SHOPIFY_EMULATOR_URL and APP_BRIDGE_URL, unless a local stack allows the emulator", () => {
    const emulated = {
      ...production,
      SHOPIFY_EMULATOR_URL: "http://127.0.0.1:4010",
      APP_BRIDGE_URL: "http://127.0.0.1:4010/app-bridge.js",
    };
    expect(refusals(emulated)).toEqual([
      expect.stringMatching(/^SHOPIFY_EMULATOR_URL: must be unset in production/),
      expect.stringMatching(/^APP_BRIDGE_URL: must be unset in production/),
    ]);
    expect(refusals({ ...emulated, ALLOW_EMULATOR_IN_PRODUCTION: "true" })).toEqual([]);
    expect(refusals({ ...emulated, NODE_ENV: "development" })).toEqual([]);
  });
});

describe("/metrics in production", () => {
  const scrape = (authorization?: string) =>
    new Request("http://app/metrics", authorization ? { headers: { authorization } } : {});

  it("is served only with METRICS_TOKEN, and then only to its holder", () => {
    expect(scrapeAllowed(scrape(), undefined, true)).toBe(false);
    expect(scrapeAllowed(scrape(), undefined, false)).toBe(true);
    const token = "a-metrics-token-of-32-characters";
    expect(scrapeAllowed(scrape(`Bearer ${token}`), token, true)).toBe(true);
    expect(scrapeAllowed(scrape("Bearer wrong"), token, true)).toBe(false);
  });
});

describe("/healthz", () => {
  it("never returns the database's error text", async () => {
    const raw = 'password authentication failed for user "shop_sync" at db.internal:5432';
    const health = await checkHealth(() => Promise.reject(new Error(raw)));
    expect(health).toMatchObject({ ok: false, error: "database unavailable" });
    expect(JSON.stringify(health)).not.toContain("db.internal");
    expect((await checkHealth()).ok).toBe(true);
  });
});
