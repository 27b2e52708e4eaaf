// /metrics access: open without METRICS_TOKEN (a private network), else only for the bearer token.
import { describe, expect, it } from "vitest";
import { scrapeAllowed } from "./metrics.server";

const scrape = (authorization?: string) =>
  new Request("http://app.test/metrics", { headers: authorization ? { authorization } : {} });
const TOKEN = "s3cret-metrics-token-0123456789";

describe("scrapeAllowed", () => {
  it("lets every scrape through when no token is configured", () => {
    expect(scrapeAllowed(scrape(), undefined)).toBe(true);
    expect(scrapeAllowed(scrape("Bearer anything"), undefined)).toBe(true);
  });

  it("requires exactly the configured bearer token", () => {
    expect(scrapeAllowed(scrape(`Bearer ${TOKEN}`), TOKEN)).toBe(true);
    expect(scrapeAllowed(scrape(), TOKEN)).toBe(false);
    expect(scrapeAllowed(scrape(`Bearer ${TOKEN}x`), TOKEN)).toBe(false);
    expect(scrapeAllowed(scrape(`Bearer ${TOKEN.slice(0, -1)}`), TOKEN)).toBe(false);
    expect(scrapeAllowed(scrape(`Basic ${TOKEN}`), TOKEN)).toBe(false);
  });
});
