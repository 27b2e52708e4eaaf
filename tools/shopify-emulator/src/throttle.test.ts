import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeClock } from "./clock";
import { startCore, TEST_SHOP, type CoreHarness } from "./testing-core";
import { LeakyBuckets } from "./throttle";

describe("leaky bucket arithmetic", () => {
  it("charges requested cost up front, refunds the difference and restores by the plan's rate", () => {
    const clock = new FakeClock(0);
    const b = new LeakyBuckets(clock);
    expect(b.take("k", "standard", 500)).toEqual({
      ok: true,
      status: { maximumAvailable: 2000, currentlyAvailable: 1500, restoreRate: 100 },
    });
    expect(b.refund("k", "standard", 480).currentlyAvailable).toBe(1980);
    expect(b.take("k", "standard", 1980).ok).toBe(true);
    // Empty bucket: 0.5 s restores 50 points, not enough for 51.
    clock.advance(500);
    expect(b.take("k", "standard", 51)).toEqual({
      ok: false,
      status: { maximumAvailable: 2000, currentlyAvailable: 50, restoreRate: 100 },
    });
    clock.advance(10);
    expect(b.take("k", "standard", 51).ok).toBe(true);
    // Refill is capped at the maximum.
    clock.advance(3_600_000);
    expect(b.status("k", "standard").currentlyAvailable).toBe(2000);
  });

  it("uses each plan's bucket", () => {
    const b = new LeakyBuckets(new FakeClock(0));
    expect(b.status("a", "advanced")).toEqual({ maximumAvailable: 4000, currentlyAvailable: 4000, restoreRate: 200 });
    expect(b.status("p", "plus")).toEqual({ maximumAvailable: 20000, currentlyAvailable: 20000, restoreRate: 1000 });
  });
});

describe("THROTTLED over HTTP", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore({ seed: "throttle", products: 30, orders: 0 });
  });
  afterAll(() => h.emu.close());

  it("follows the bucket exactly with a frozen clock, then throttles with Shopify's body", async () => {
    const q = `{ products(first: 50) { nodes { id variants(first: 10) { nodes { id sku } } } } }`;
    let available = 2000;
    let throttled: { status: number; body: any } | undefined; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (let i = 0; i < 100 && !throttled; i++) {
      const r = await h.gql(q);
      const cost = r.body.extensions.cost;
      if (r.body.errors) {
        throttled = r;
        break;
      }
      // currentlyAvailable = before − requested + (requested − actual), time frozen.
      expect(cost.throttleStatus.currentlyAvailable).toBe(available - cost.actualQueryCost);
      expect(cost.actualQueryCost).toBeLessThanOrEqual(cost.requestedQueryCost);
      available = cost.throttleStatus.currentlyAvailable;
    }
    expect(throttled).toBeDefined();
    expect(throttled!.status).toBe(200);
    expect(throttled!.body).toEqual({
      errors: [
        {
          message: "Throttled",
          extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
        },
      ],
      extensions: {
        cost: {
          requestedQueryCost: expect.any(Number),
          actualQueryCost: null,
          throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
        },
      },
    });
    const requested = throttled!.body.extensions.cost.requestedQueryCost as number;
    expect(available).toBeLessThan(requested);
    // Wait exactly (requested − available) / restoreRate seconds and the same query runs.
    h.clock.advance(Math.ceil(((requested - available) / 100) * 1000));
    const again = await h.gql(q);
    expect(again.body.errors).toBeUndefined();
  });

  it("can be forced through the faults control API", async () => {
    await h.control("POST", "/__emulator/faults", { shop: TEST_SHOP, throttledRate: 1 });
    const r = await h.gql(`{ shop { name } }`);
    expect(r.body.errors[0].extensions.code).toBe("THROTTLED");
    await h.control("DELETE", "/__emulator/faults");
    expect((await h.gql(`{ shop { name } }`)).body.data.shop.name).toBeTruthy();
  });
});
