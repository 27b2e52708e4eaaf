// One injectable clock for everything time-dependent (leaky buckets, bulk URL expiry, timestamps), so
// tests can move time by hand and check the arithmetic exactly.
export interface Clock {
  now(): number; // epoch milliseconds
}

export const systemClock: Clock = { now: () => Date.now() };

export class FakeClock implements Clock {
  constructor(private t = Date.parse("2026-01-15T12:00:00Z")) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
  set(ms: number): void {
    this.t = ms;
  }
}
