// Capped exponential backoff with jitter, the one formula the queue's retries, the Admin client's
// retries and the embedded worker's restarts use: min(maxMs, baseMs · 2^(attempt−1)), then jittered
// into [50%, 100%] of that, so that work that failed together (one shop's outage) is spread out.

export interface Backoff {
  baseMs: number;
  maxMs: number;
}

/** The delay before attempt `attempt + 1`, after `attempt` failures (attempt ≥ 1). */
export function cappedBackoffMs(attempt: number, { baseMs, maxMs }: Backoff, random = Math.random): number {
  const capped = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(capped * (0.5 + random() * 0.5));
}
