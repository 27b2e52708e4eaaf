// Shopify's Admin GraphQL rate limit: a leaky bucket per (app, shop) measured in cost points.
// The request's *requested* cost must be available before it runs; afterwards the difference between
// requested and actual cost is refunded. Sizes are the ones observed in real `throttleStatus`
// responses (bucket = 20 × restore rate).
import type { Plan } from "./context";
import type { Clock } from "./clock";

export const PLAN_LIMITS: Record<Plan, { maximumAvailable: number; restoreRate: number }> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
};

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

interface Bucket {
  available: number; // fractional points
  at: number; // ms of last refill
}

export class LeakyBuckets {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly clock: Clock) {}

  private refill(key: string, plan: Plan): Bucket {
    const { maximumAvailable, restoreRate } = PLAN_LIMITS[plan];
    const now = this.clock.now();
    let b = this.buckets.get(key);
    if (!b) {
      b = { available: maximumAvailable, at: now };
      this.buckets.set(key, b);
    }
    const elapsed = Math.max(0, now - b.at) / 1000;
    b.available = Math.min(maximumAvailable, b.available + elapsed * restoreRate);
    b.at = now;
    return b;
  }

  status(key: string, plan: Plan): ThrottleStatus {
    const b = this.refill(key, plan);
    const { maximumAvailable, restoreRate } = PLAN_LIMITS[plan];
    // Shopify reports whole points.
    return { maximumAvailable, currentlyAvailable: Math.floor(b.available), restoreRate };
  }

  /** Takes `cost` points if the bucket holds them; otherwise leaves it untouched. */
  take(key: string, plan: Plan, cost: number): { ok: boolean; status: ThrottleStatus } {
    const b = this.refill(key, plan);
    if (b.available < cost) return { ok: false, status: this.status(key, plan) };
    b.available -= cost;
    return { ok: true, status: this.status(key, plan) };
  }

  refund(key: string, plan: Plan, points: number): ThrottleStatus {
    const b = this.refill(key, plan);
    b.available = Math.min(PLAN_LIMITS[plan].maximumAvailable, b.available + Math.max(0, points));
    return this.status(key, plan);
  }

  /** Empties the bucket (fault injection: force the next calls to be throttled). */
  drain(key: string, plan: Plan): void {
    this.refill(key, plan).available = 0;
  }

  reset(): void {
    this.buckets.clear();
  }
}

export function bucketKey(apiKey: string, shop: string): string {
  return `${apiKey}|${shop}`;
}
