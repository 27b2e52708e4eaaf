// A circuit breaker per shop: after `failureThreshold` failed attempts in a row (5xx, network
// errors, 429 — not THROTTLED, which pacing handles, and not our own 4xx), calls to that shop fail
// at once with CircuitOpenError for `coolDownMs`, so a shop whose API is down is not hammered by
// every job and retry. After the cool-down one trial call goes through (half-open): success closes
// the circuit, failure opens it for another cool-down.
import type { Clock } from "./clock.server";

export type CircuitState = "closed" | "open" | "half-open";

export interface CircuitBreakerOptions {
  failureThreshold: number;
  coolDownMs: number;
}

export const DEFAULT_CIRCUIT: CircuitBreakerOptions = { failureThreshold: 8, coolDownMs: 30_000 };

export class CircuitBreaker {
  private failures = 0;
  private openedAt: number | undefined;
  private trialRunning = false;

  constructor(
    private readonly clock: Clock,
    private readonly options: CircuitBreakerOptions = DEFAULT_CIRCUIT,
  ) {}

  get state(): CircuitState {
    if (this.openedAt === undefined) return "closed";
    return this.clock.now() - this.openedAt >= this.options.coolDownMs ? "half-open" : "open";
  }

  /** Ms until the circuit lets a trial call through (0 when it would now). */
  retryInMs(): number {
    if (this.openedAt === undefined) return 0;
    return Math.max(0, this.openedAt + this.options.coolDownMs - this.clock.now());
  }

  /** Whether a call may be sent now. In half-open state only one trial call at a time is allowed. */
  tryAcquire(): boolean {
    const state = this.state;
    if (state === "closed") return true;
    if (state === "open" || this.trialRunning) return false;
    this.trialRunning = true;
    return true;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.openedAt = undefined;
    this.trialRunning = false;
  }

  recordFailure(): void {
    this.failures++;
    const wasTrial = this.trialRunning;
    this.trialRunning = false;
    if (wasTrial || this.failures >= this.options.failureThreshold) this.openedAt = this.clock.now();
  }
}
