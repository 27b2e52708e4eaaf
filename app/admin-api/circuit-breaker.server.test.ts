import { describe, expect, it } from "vitest";
import { CircuitBreaker } from "./circuit-breaker.server";
import type { Clock } from "./clock.server";

function fakeClock(start = 0): Clock & { advance(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

describe("CircuitBreaker", () => {
  it("opens after repeated failures, lets one trial through after the cool-down, and closes on success", () => {
    const clock = fakeClock();
    const breaker = new CircuitBreaker(clock, { failureThreshold: 3, coolDownMs: 10_000 });
    for (let i = 0; i < 2; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryInMs()).toBe(10_000);

    clock.advance(9_999);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advance(1);
    expect(breaker.state).toBe("half-open");
    expect(breaker.tryAcquire()).toBe(true); // the trial
    expect(breaker.tryAcquire()).toBe(false); // only one at a time
    breaker.recordSuccess();
    expect(breaker.state).toBe("closed");
    expect(breaker.tryAcquire()).toBe(true);
  });

  it("a failed trial opens it again for a full cool-down; a success in between resets the count", () => {
    const clock = fakeClock();
    const breaker = new CircuitBreaker(clock, { failureThreshold: 2, coolDownMs: 5_000 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe("closed");
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    clock.advance(5_000);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe("open");
    expect(breaker.retryInMs()).toBe(5_000);
  });
});
