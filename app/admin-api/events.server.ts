// What the Admin client reports about every call: one event per attempt, for logs and metrics. The
// client logs each event itself; metrics (or a test) subscribe with onAdminApiEvent.

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

/** `extensions.cost` as Shopify returns it (actualQueryCost is null on a THROTTLED answer). */
export interface QueryCost {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: ThrottleStatus;
}

export type AdminCallOutcome =
  | "ok"
  | "throttled" // GraphQL THROTTLED (cost bucket)
  | "http_429"
  | "http_5xx"
  | "network"
  | "unauthorized"
  | "circuit_open"
  | "error"; // anything not retried (GraphQL errors, 4xx, a response that does not parse)

export interface AdminCallEvent {
  shop: string;
  operation: string;
  outcome: AdminCallOutcome;
  /** 1 for the first attempt of a call. */
  attempt: number;
  durationMs: number;
  /** How long pacing held the request before sending it (ms). */
  pacedMs: number;
  cost: QueryCost | null;
  /** Set when the call will be tried again after this many ms. */
  retryInMs?: number;
  error?: string;
}

export type AdminCallListener = (event: AdminCallEvent) => void;

const listeners = new Set<AdminCallListener>();

/** Subscribes to every Admin API call attempt in this process; returns the unsubscribe function. */
export function onAdminApiEvent(listener: AdminCallListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function emitAdminApiEvent(event: AdminCallEvent): void {
  for (const listener of listeners) {
    // A listener (metrics, a test) must never break a Shopify call.
    try {
      listener(event);
    } catch {
      // ignored on purpose: see above
    }
  }
}
