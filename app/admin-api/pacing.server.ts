// Client-side model of Shopify's cost bucket for one shop (ADR 0011; the emulator's bucket:
// tools/shopify-emulator/src/throttle.ts). Shopify refuses (THROTTLED) a query whose *requested* cost the bucket does not hold, so we keep our own
// copy of the bucket from every response's `throttleStatus`, let it refill at `restoreRate`, and
// hold a query until the model holds its expected cost: wait (requested − available) / restoreRate.
//
// The expected cost of an operation is learned from `extensions.cost.requestedQueryCost` (the app
// must not import the emulator's calculator, and the cost of a document does not change between
// calls with the same page sizes). Unknown operations are sent when the bucket model holds the
// largest cost seen for this shop so far; before any response the bucket is assumed full, as it is
// for a shop we have not called for a while.
import type { Clock } from "./clock.server";
import type { QueryCost, ThrottleStatus } from "./events.server";

interface Observed extends ThrottleStatus {
  /** When currentlyAvailable was read (ms, client clock). */
  at: number;
}

export class CostBucket {
  private observed: Observed | undefined;
  private readonly learned = new Map<string, number>();
  /** Expected costs of requests admitted but not answered yet: the server may not have charged them. */
  private readonly inFlight = new Map<number, number>();
  private nextTicket = 0;
  /** Admission is first come, first served: each request waits behind the ones admitted before it. */
  private admissions: Promise<unknown> = Promise.resolve();

  constructor(private readonly clock: Clock) {}

  /** The model's available points now (refilled since the last response), minus requests in flight. */
  available(now = this.clock.now()): number | undefined {
    if (!this.observed) return undefined;
    const { maximumAvailable, currentlyAvailable, restoreRate, at } = this.observed;
    const refilled = Math.min(maximumAvailable, currentlyAvailable + (Math.max(0, now - at) / 1000) * restoreRate);
    let reserved = 0;
    for (const cost of this.inFlight.values()) reserved += cost;
    return refilled - reserved;
  }

  status(): ThrottleStatus | undefined {
    if (!this.observed) return undefined;
    const { maximumAvailable, restoreRate } = this.observed;
    return { maximumAvailable, restoreRate, currentlyAvailable: Math.floor(this.available() ?? 0) };
  }

  /** The requested cost learned for this operation key, if any. */
  expectedCost(key: string): number | undefined {
    return this.learned.get(key);
  }

  /**
   * How long (ms) to wait before the model holds `requested` points: (requested − available) /
   * restoreRate, 0 when it holds them already or when nothing is known about the bucket yet.
   */
  waitMs(requested: number, now = this.clock.now()): number {
    const available = this.available(now);
    if (available === undefined || !this.observed || available >= requested) return 0;
    return Math.ceil(((requested - available) / this.observed.restoreRate) * 1000);
  }

  /**
   * Waits until the bucket model holds the operation's expected cost, then reserves it. Returns the
   * ticket to pass to `settle` and how long the request was held.
   */
  async admit(key: string, signal?: AbortSignal): Promise<{ ticket: number; pacedMs: number; expected: number }> {
    const turn = this.admissions.then(async () => {
      const expected = this.expectedCost(key) ?? this.largestLearned();
      if (this.observed && expected > this.observed.maximumAvailable) {
        throw new RangeError(
          `operation ${key} requests ${expected} points; the bucket holds at most ${this.observed.maximumAvailable}`,
        );
      }
      const started = this.clock.now();
      // Loop: a response to a request in flight may lower the model while we sleep.
      for (let wait = this.waitMs(expected); wait > 0; wait = this.waitMs(expected)) {
        await this.clock.sleep(wait, signal);
      }
      const ticket = this.nextTicket++;
      this.inFlight.set(ticket, expected);
      return { ticket, pacedMs: this.clock.now() - started, expected };
    });
    // A failed admission (abort) must not block the ones behind it.
    this.admissions = turn.catch(() => undefined);
    return turn;
  }

  /** Records a response's cost (or releases the reservation when the request got no cost back). */
  settle(ticket: number, key: string, cost: QueryCost | null): void {
    this.inFlight.delete(ticket);
    if (!cost) return;
    this.learned.set(key, cost.requestedQueryCost);
    this.observed = { ...cost.throttleStatus, at: this.clock.now() };
  }

  private largestLearned(): number {
    let largest = 0;
    for (const cost of this.learned.values()) largest = Math.max(largest, cost);
    return largest;
  }
}

/**
 * The key an operation's cost is learned under: its name and the page sizes it asks for (a
 * connection's cost grows with `first`), e.g. `ProductsPage first=250`.
 */
export function costKey(document: string, variables?: Record<string, unknown>): string {
  const name = operationName(document);
  const sizes = Object.entries(variables ?? {})
    .filter(([, value]) => typeof value === "number")
    .map(([key, value]) => `${key}=${String(value)}`)
    .sort();
  return [name, ...sizes].join(" ");
}

/** The operation's name (`query ProductsPage(…)` → ProductsPage), or "anonymous". */
export function operationName(document: string): string {
  return /\b(?:query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(document)?.[1] ?? "anonymous";
}
