// The worker's /metrics listener over real HTTP: the same series and token rule as the web route.
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { serveMetrics } from "./metrics-listener.server";
import { recordDeadLetter } from "./metrics.server";

const TOKEN = "worker-metrics-token-0123456789";
let close: (() => void) | undefined;
afterEach(() => close?.());

it("serves the process's metrics on /metrics, only with the token when one is set", async () => {
  const server = await serveMetrics(0, TOKEN, "127.0.0.1");
  close = () => server.close();
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  recordDeadLetter("orders/create");

  expect((await fetch(`${base}/metrics`)).status).toBe(401);
  expect((await fetch(`${base}/other`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  const scrape = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(scrape.status).toBe(200);
  expect(scrape.headers.get("content-type")).toContain("text/plain");
  expect(await scrape.text()).toMatch(/^shop_sync_webhook_dead_letters_total\{topic="orders\/create"\} [1-9]/m);
});
