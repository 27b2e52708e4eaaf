// /metrics: the Prometheus series for the webhook pipeline, scraped over HTTP after real deliveries.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader } from "~/routes/metrics";
import { startAppServer, type AppServer } from "../support/app-http";
import { drainQueue, postDelivery, shopifyHeaders } from "./support/webhooks";

const SHOP = "metrics.myshopify.com";
const sample = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/products_update.json", "utf8");
const product = (n: number) => sample.replaceAll("788032119674292922", String(788032119674292922n + BigInt(n)));

let app: AppServer;
let metricsUrl: string;
const metricsServer = createServer((req, res) => {
  const request = new Request(`http://127.0.0.1${req.url}`, {
    headers: req.headers.authorization ? { authorization: req.headers.authorization } : {},
  });
  void loader({ request, params: {}, context: {} }).then(async (response) => {
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(await response.text());
  });
});

beforeAll(async () => {
  app = await startAppServer();
  await new Promise<void>((resolve) => metricsServer.listen(0, "127.0.0.1", resolve));
  metricsUrl = `http://127.0.0.1:${(metricsServer.address() as AddressInfo).port}/metrics`;
  await db.shopifyStore.create({ data: { shop: SHOP, name: "Metrics", currencyCode: "USD" } });
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => metricsServer.close(resolve));
});

async function scrape(): Promise<{ text: string; value: (series: string) => number }> {
  const response = await fetch(metricsUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  const value = (series: string) => {
    const line = text.split("\n").find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  };
  return { text, value };
}

const deliveries = (topic: string, outcome: string) =>
  `shop_sync_webhook_deliveries_total{topic="${topic}",outcome="${outcome}"}`;

describe("/metrics", () => {
  it("counts deliveries by outcome, reports queue depth and processing lag, and counts dead letters", async () => {
    const before = await scrape();
    for (const n of [1, 2, 3]) {
      expect(
        await postDelivery(app.url, { shop: SHOP, topic: "products/update", body: product(n), webhookId: `m-${n}` }),
      ).toBe(200);
    }
    expect(
      await postDelivery(app.url, { shop: SHOP, topic: "products/update", body: product(1), webhookId: "m-1" }),
    ).toBe(200);
    expect(
      await postDelivery(app.url, { shop: "stranger.myshopify.com", topic: "products/update", body: product(9) }),
    ).toBe(200);
    const forged = await fetch(`${app.url}/webhooks/products/update`, {
      method: "POST",
      headers: {
        ...shopifyHeaders({ shop: SHOP, topic: "products/update", body: product(4) }),
        "x-shopify-hmac-sha256": "AAAA",
      },
      body: product(4),
    });
    expect(forged.status).toBe(401);
    // Signed, but not a product: stored, then dead-lettered by processing.
    const broken = JSON.stringify({ admin_graphql_api_id: "gid://shopify/Product/5", title: 42 });
    expect(
      await postDelivery(app.url, { shop: SHOP, topic: "products/update", body: broken, webhookId: "m-broken" }),
    ).toBe(200);

    const received = await scrape();
    const delta = (series: string) => received.value(series) - before.value(series);
    expect(delta(deliveries("products/update", "stored"))).toBe(4);
    expect(delta(deliveries("products/update", "duplicate"))).toBe(1);
    expect(delta(deliveries("products/update", "ignored"))).toBe(1);
    expect(delta(deliveries("products/update", "invalid"))).toBe(1);
    // Every answer timed, by status class: 6 answered 200 (4 stored, 1 duplicate, 1 ignored), 1 401.
    expect(delta('shop_sync_webhook_ack_seconds_count{status="2xx"}')).toBe(6);
    expect(delta('shop_sync_webhook_ack_seconds_count{status="4xx"}')).toBe(1);
    expect(delta('shop_sync_webhook_ack_seconds_bucket{le="10",status="2xx"}')).toBe(6);
    // The store's deliveries wait in one processing job, read from the queue at scrape time.
    expect(received.value('shop_sync_job_queue_jobs{state="ready"}')).toBe(1);

    await drainQueue();
    const processed = await scrape();
    expect(processed.value('shop_sync_job_queue_jobs{state="ready"}')).toBe(0);
    expect(processed.value('shop_sync_webhook_processing_lag_seconds_count{topic="products/update"}')).toBe(3);
    const lagSum = processed.value('shop_sync_webhook_processing_lag_seconds_sum{topic="products/update"}');
    expect(lagSum).toBeGreaterThan(0);
    expect(lagSum).toBeLessThan(60);
    expect(processed.value('shop_sync_webhook_dead_letters_total{topic="products/update"}')).toBe(1);
    const dead = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId: "m-broken" } });
    expect(dead.status).toBe("dead");
    expect(dead.lastError).toMatch(/^invalid payload: /);
    // Defined now for the Admin API client to observe later.
    expect(processed.text).toContain("# TYPE shop_sync_admin_api_cost_points_total counter");
    expect(processed.text).toContain("# TYPE shop_sync_admin_api_throttled_total counter");
  });
});
