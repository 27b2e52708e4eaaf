// Webhook ingest through real HTTP: the emulator signs and delivers like Shopify, the app's routes
// verify with the library, store the raw delivery and enqueue its processing before answering 200.
import { readFileSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { MAX_WEBHOOK_BODY_BYTES } from "~/webhooks/ingest.server";
import { isSubscribedTopic } from "~/webhooks/topics";
import { startTestEmulator, type RunningEmulator } from "../support/emulator";
import { startAppServer, type AppServer } from "../support/app-http";

const SHOP = "ingest.myshopify.com";
const SAMPLES_DIR = "tools/shopify-emulator/test-fixtures/webhook-samples";

let emulator: RunningEmulator;
let app: AppServer;

interface DeliveryRecord {
  webhookId: string;
  status: string;
  attempts: Array<{ status?: number }>;
}

async function send(body: Record<string, unknown>): Promise<DeliveryRecord> {
  const response = await fetch(`${emulator.url}/__emulator/webhooks/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ shop: SHOP, wait: true, bypassBehaviour: true, ...body }),
  });
  expect(response.status).toBe(200);
  const { deliveries } = (await response.json()) as { deliveries: DeliveryRecord[] };
  const [first] = deliveries;
  if (!first) throw new Error("no delivery");
  const log = await fetch(`${emulator.url}/__emulator/webhooks/deliveries?webhookId=${first.webhookId}`);
  const { deliveries: logged } = (await log.json()) as { deliveries: DeliveryRecord[] };
  return logged[0] ?? first;
}

function lastStatus(record: DeliveryRecord): number | undefined {
  return record.attempts.at(-1)?.status;
}

// Sample file → topic (file names replace the topic's "/" with "_", which is ambiguous).
const SAMPLE_TOPICS: Record<string, string> = {
  "app_uninstalled.json": "app/uninstalled",
  "bulk_operations_finish.json": "bulk_operations/finish",
  "customers_data_request.json": "customers/data_request",
  "customers_redact.json": "customers/redact",
  "inventory_levels_update.json": "inventory_levels/update",
  "orders_create.json": "orders/create",
  "products_delete.json": "products/delete",
  "products_update.json": "products/update",
  "shop_redact.json": "shop/redact",
};

const samples = readdirSync(SAMPLES_DIR)
  .filter((file) => file.endsWith(".json"))
  .map((file) => {
    const topic = SAMPLE_TOPICS[file];
    if (!topic) throw new Error(`${file}: add its topic to SAMPLE_TOPICS`);
    // Shopify's samples name no real shop ("{shop}.myshopify.com", a null myshopify_domain): a body
    // that names the shop must name the one the delivery is for (signed-delivery.server.ts).
    const raw = readFileSync(`${SAMPLES_DIR}/${file}`, "utf8")
      .replaceAll("{shop}.myshopify.com", SHOP)
      .replaceAll("jsmith.myshopify.com", SHOP)
      .replace('"myshopify_domain": null', `"myshopify_domain": "${SHOP}"`);
    return { topic, raw };
  });

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
  await db.shopifyStore.create({ data: { shop: SHOP, name: "Ingest" } });
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("webhook ingest", () => {
  it("stores every subscribed sample byte for byte and enqueues its processing", async () => {
    const subscribed = samples.filter((sample) => isSubscribedTopic(sample.topic));
    expect(subscribed.length).toBeGreaterThanOrEqual(8);
    for (const sample of subscribed) {
      const uri = `${app.url}/webhooks/${sample.topic}`;
      const record = await send({ topic: sample.topic, payload: sample.raw, uri });
      expect(lastStatus(record), sample.topic).toBe(200);
      const row = await db.shopifyWebhookEvent.findUniqueOrThrow({
        where: { shop_webhookId: { shop: SHOP, webhookId: record.webhookId } },
      });
      expect(row.topic).toBe(sample.topic);
      expect(row.rawBody).toBe(sample.raw); // ids above 2^53 intact
      expect(row.status).toBe("received");
      expect(row.apiVersion).toBe("2026-10");
      expect(row.triggeredAt).toBeInstanceOf(Date);
    }
    // One processing job for the store, however many deliveries it has waiting: they collapse into it.
    const { queueDepth } = await import("~/sync/queue.server");
    expect((await queueDepth()).ready).toBe(1);
  });

  it("answers 200 to a repeated delivery and changes nothing", async () => {
    const uri = `${app.url}/webhooks/products/update`;
    const raw = samples.find((sample) => sample.topic === "products/update")?.raw;
    const first = await send({ topic: "products/update", payload: raw, uri, webhookId: "dup-1" });
    const again = await send({ topic: "products/update", payload: raw, uri, webhookId: "dup-1" });
    expect(lastStatus(first)).toBe(200);
    expect(lastStatus(again)).toBe(200);
    expect(await db.shopifyWebhookEvent.count({ where: { webhookId: "dup-1" } })).toBe(1);
  });

  it("refuses a bad signature with 401 and stores nothing", async () => {
    const record = await send({
      topic: "orders/create",
      payload: "{}",
      uri: `${app.url}/webhooks/orders/create`,
      webhookId: "bad-hmac",
      hmac: "AAAA",
    });
    expect(record.attempts[0]?.status).toBe(401);
    expect(await db.shopifyWebhookEvent.count({ where: { webhookId: "bad-hmac" } })).toBe(0);
  });

  it("refuses malformed JSON with 400 and stores nothing", async () => {
    const record = await send({
      topic: "orders/create",
      payload: '{"id": 1, "line_items": [',
      uri: `${app.url}/webhooks/orders/create`,
      webhookId: "truncated",
    });
    expect(record.attempts[0]?.status).toBe(400);
    expect(await db.shopifyWebhookEvent.count({ where: { webhookId: "truncated" } })).toBe(0);
  });

  it("records a delivery for an unknown shop as ignored", async () => {
    const record = await send({
      shop: "never-installed.myshopify.com",
      topic: "products/delete",
      payload: '{"id": 1}',
      uri: `${app.url}/webhooks/products/delete`,
    });
    expect(lastStatus(record)).toBe(200);
    const row = await db.shopifyWebhookEvent.findUniqueOrThrow({
      where: { shop_webhookId: { shop: "never-installed.myshopify.com", webhookId: record.webhookId } },
    });
    expect(row.status).toBe("ignored");
    expect(row.storeId).toBeNull();
  });

  it("answers 413 to an oversized body and 405 to a GET", async () => {
    const big = JSON.stringify({ id: 1, note: "x".repeat(MAX_WEBHOOK_BODY_BYTES) });
    const record = await send({ topic: "orders/create", payload: big, uri: `${app.url}/webhooks/orders/create` });
    expect(record.attempts[0]?.status).toBe(413);
    const get = await fetch(`${app.url}/webhooks/orders/create`);
    expect(get.status).toBe(405);
  });
});
