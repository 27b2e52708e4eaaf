// Fault injection for the Shopify-facing surfaces: the app must survive what real Shopify does on a bad
// day. Rates are probabilities per request (0..1), drawn from a seeded generator so a run can be
// reproduced. Settings apply globally or to one shop (a shop's settings override the global ones).
import type { FastifyReply, FastifyRequest } from "fastify";
import { rngFor } from "./state/seed";

export interface FaultSettings {
  /**
   * Answer `errorStatus` (default 503) instead of running the request: a 5xx, or 402 / 423, which
   * Shopify answers for a frozen / locked shop (an error no retry fixes).
   */
  error5xxRate?: number;
  errorStatus?: number;
  /** Answer HTTP 429 with Retry-After (Shopify's resource-based throttle). */
  error429Rate?: number;
  /** Destroy the socket without answering (ECONNRESET at the client). */
  resetRate?: number;
  /** Added latency in ms before answering, plus up to `latencyJitterMs` at random. */
  latencyMs?: number;
  latencyJitterMs?: number;
  /** Answer GraphQL's cost THROTTLED error regardless of the bucket. */
  throttledRate?: number;
  /** Every bulk-operation result URL answers 403 ExpiredToken, as an expired GCS URL does. */
  expiredBulkUrls?: boolean;
  /** The next bulk operations fail with this probability (errorCode `bulkErrorCode`). */
  bulkFailRate?: number;
  bulkErrorCode?: "INTERNAL_SERVER_ERROR" | "TIMEOUT" | "ACCESS_DENIED";
}

export const FAULT_KEYS: Array<keyof FaultSettings> = [
  "error5xxRate",
  "errorStatus",
  "error429Rate",
  "resetRate",
  "latencyMs",
  "latencyJitterMs",
  "throttledRate",
  "expiredBulkUrls",
  "bulkFailRate",
  "bulkErrorCode",
];

const ERROR_TEXT: Record<number, string> = {
  402: "Unavailable Shop",
  423: "Locked",
  503: "Service Unavailable",
};

export type FaultAction =
  | { kind: "none" }
  | { kind: "reset" }
  | { kind: "status"; status: number; body: unknown; headers?: Record<string, string> }
  | { kind: "throttled" };

export class Faults {
  private global: FaultSettings = {};
  private readonly perShop = new Map<string, FaultSettings>();
  private rnd: () => number;

  constructor(seed: string | number = "faults") {
    this.rnd = rngFor(seed);
  }

  set(settings: FaultSettings, shop?: string | null): void {
    if (shop) this.perShop.set(shop, { ...this.perShop.get(shop), ...settings });
    else this.global = { ...this.global, ...settings };
  }

  clear(shop?: string | null): void {
    if (shop) this.perShop.delete(shop);
    else {
      this.global = {};
      this.perShop.clear();
    }
  }

  reseed(seed: string | number): void {
    this.rnd = rngFor(seed);
  }

  settings(shop?: string | null): FaultSettings {
    return { ...this.global, ...(shop ? this.perShop.get(shop) : undefined) };
  }

  describe() {
    return { global: this.global, shops: Object.fromEntries(this.perShop) };
  }

  chance(rate: number | undefined): boolean {
    return !!rate && rate > 0 && this.rnd() < rate;
  }

  latency(shop: string | null): number {
    const f = this.settings(shop);
    return (f.latencyMs ?? 0) + (f.latencyJitterMs ? Math.floor(this.rnd() * f.latencyJitterMs) : 0);
  }

  /** What to do with one Admin API request. */
  decide(shop: string | null): FaultAction {
    const f = this.settings(shop);
    if (this.chance(f.resetRate)) return { kind: "reset" };
    if (this.chance(f.error5xxRate)) {
      const status = f.errorStatus ?? 503;
      return {
        kind: "status",
        status,
        body: { errors: ERROR_TEXT[status] ?? "Internal Server Error" },
      };
    }
    if (this.chance(f.error429Rate))
      return {
        kind: "status",
        status: 429,
        headers: { "retry-after": "2.0" },
        body: {
          errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
        },
      };
    if (this.chance(f.throttledRate)) return { kind: "throttled" };
    return { kind: "none" };
  }

  /** Applies latency/reset/status faults to a request; returns true when the reply was taken over. */
  async apply(shop: string | null, req: FastifyRequest, reply: FastifyReply): Promise<FaultAction | "handled"> {
    const wait = this.latency(shop);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const action = this.decide(shop);
    if (action.kind === "reset") {
      reply.hijack();
      req.raw.socket.destroy();
      return "handled";
    }
    if (action.kind === "status") {
      void reply
        .code(action.status)
        .headers(action.headers ?? {})
        .send(action.body);
      return "handled";
    }
    return action;
  }
}
