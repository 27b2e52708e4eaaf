// Deliveries checked by the library itself: every delivery goes to a receiver that runs
// shopify-app-remix's authenticate.webhook, as the app's webhook routes do.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ApiVersion, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { testConfig } from "@shopify/shopify-app-remix/test-helpers";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { EmulatorContext, ShopWebhookSubscription } from "../context";
import { createTestContext, startTestServer } from "../oauth/testing";
import { Store } from "../state/store";
import type { DeliveryRecord } from "./sender";
import { createWebhookSender, webhookRoutes } from "./routes";
import { appFromToml, restTopic } from "./subscriptions";
import { startReceiver, type Receiver } from "./testing";

const SHOP = "test-shop.myshopify.com";
const SAMPLES = fileURLToPath(new URL("../../test-fixtures/webhook-samples/", import.meta.url));
const samples = readdirSync(SAMPLES)
  .filter((f) => f.endsWith(".json"))
  .map((f) => ({
    topic: restTopic(f.replace(/\.json$/, "").toUpperCase()),
    // Read as text: the samples hold ids above 2^53.
    raw: readFileSync(SAMPLES + f, "utf8").replaceAll("{shop}", "test-shop"),
  }));

const shopify = shopifyApp({
  ...testConfig(),
  apiVersion: ApiVersion.October26,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
  logger: { level: LogSeverity.Error, log: () => {} },
});

let receiver: Receiver;
let ctx: EmulatorContext;
let sender: ReturnType<typeof createWebhookSender>;
let server: Awaited<ReturnType<typeof startTestServer>>;
const shopSubscriptions: ShopWebhookSubscription[] = [];

beforeAll(async () => {
  receiver = await startReceiver((request) => shopify.authenticate.webhook(request));
});
afterAll(async () => {
  await receiver.close();
});

beforeEach(async () => {
  receiver.received.length = 0;
  receiver.respond = () => undefined;
  shopSubscriptions.length = 0;
  const toml = `
client_id = "testApiKey"
application_url = "${receiver.url}"
embedded = true
[access_scopes]
scopes = "write_products,read_orders"
[webhooks]
api_version = "2026-10"
[[webhooks.subscriptions]]
topics = ["app/uninstalled", "app/scopes_update", "products/create", "products/update", "products/delete", "orders/create", "orders/updated", "orders/paid", "orders/cancelled", "inventory_levels/update", "bulk_operations/finish"]
uri = "/webhooks"
name = "sync"
[[webhooks.subscriptions]]
compliance_topics = ["customers/data_request", "customers/redact", "shop/redact"]
uri = "/webhooks/compliance"
`;
  ctx = createTestContext({
    app: appFromToml(toml, { apiSecret: "testApiSecretKey" }),
    timeScale: 0.00001, // 60 s backoff → 0.6 ms
    shopWebhookSubscriptions: () => shopSubscriptions,
  });
  sender = createWebhookSender(ctx, { timeoutMs: 300 });
  server = await startTestServer(ctx, (f) => f.register(webhookRoutes, { ctx, sender }));
});
afterEach(async () => {
  await server.close();
  await sender.close();
});

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.origin + path, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
  return (await res.json()) as T;
}

describe("signed deliveries pass authenticate.webhook", () => {
  it.each(samples)("sample $topic, byte for byte", async ({ topic, raw }) => {
    const { deliveries } = await control<{ deliveries: DeliveryRecord[] }>("POST", "/__emulator/webhooks/send", {
      shop: SHOP,
      topic,
      payload: raw,
      wait: true,
    });
    expect(deliveries).toHaveLength(1);
    const got = receiver.received.at(-1)!;
    expect(got.status).toBe(200);
    expect(got.topic).toBe(topic.toUpperCase().replace("/", "_"));
    expect(got.shop).toBe(SHOP);
    expect(got.apiVersion).toBe("2026-10");
    expect(got.webhookId).toBe(deliveries[0]!.webhookId);
    expect(got.rawBody).toBe(raw);
    expect(got.headers["x-shopify-event-id"]).toBeTruthy();
    expect(got.headers["x-shopify-triggered-at"]).toMatch(/^\d{4}-\d\d-\d\dT/);
    const compliance = topic.startsWith("customers/") || topic === "shop/redact";
    expect(got.headers["x-shopify-name"]).toBe(compliance ? undefined : "sync");
  });

  it("a wrong signature gets the library's 401, which is retried and then given up", async () => {
    await control("POST", "/__emulator/webhooks/send", {
      shop: SHOP,
      topic: "shop/redact",
      payload: samples[0]!.raw,
      hmac: "AAAA",
      wait: true,
    });
    const [record] = sender.deliveries({ topic: "shop/redact" });
    expect(record!.status).toBe("failed");
    expect(record!.attempts).toHaveLength(9); // first try + 8 retries
    expect(record!.attempts.every((a) => a.status === 401)).toBe(true);
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"])).size).toBe(1);
  });
});

describe("store changes become REST payloads", () => {
  it("products, orders, inventory and uninstall arrive with exact big ids", async () => {
    const store = new Store(ctx.events, () => Date.now());
    const shop = store.createShop({ domain: SHOP, scopes: ["write_products"] });
    store.addLocation(shop, { name: "Warehouse" });
    const product = store.createProduct(shop, {
      title: "Tee",
      options: [{ name: "Size", values: ["S", "M"] }],
      variants: [
        { options: ["S"], price: "19.99", sku: "TEE-S", available: 5 },
        { options: ["M"], price: "21.00", sku: "TEE-M", available: 3 },
      ],
    });
    await sender.flush();
    const created = receiver.received.find((r) => r.topic === "PRODUCTS_CREATE")!;
    expect(created.status).toBe(200);
    const productJson = JSON.parse(created.rawBody) as {
      variants: Array<{ admin_graphql_api_id: string; price: string }>;
      title: string;
    };
    expect(productJson.title).toBe("Tee");
    expect(productJson.variants.map((v) => v.price)).toEqual(["19.99", "21.00"]);

    const variantGid = productJson.variants[0]!.admin_graphql_api_id;
    store.placeOrder(shop, {
      lineItems: [{ variantId: variantGid, quantity: 2 }],
      email: "a@example.com",
      financialStatus: "PAID",
    });
    store.deleteProduct(shop, product.seq);
    store.uninstallApp(shop);
    await sender.flush();

    const byTopic = (t: string) => receiver.received.filter((r) => r.topic === t);
    expect(receiver.received.every((r) => r.status === 200)).toBe(true);
    const order = byTopic("ORDERS_CREATE")[0]!.rawBody;
    expect(order).toMatch(/"total_price":"\d+\.\d\d"/);
    expect(order).toMatch(/"financial_status":"paid"/);
    const orderGidId = /"admin_graphql_api_id":"gid:\/\/shopify\/Order\/(\d+)"/.exec(order)![1]!;
    expect(BigInt(orderGidId)).toBeGreaterThan(2n ** 53n);
    expect(order).toContain(`{"id":${orderGidId},`); // written exactly, as a bare integer
    expect(byTopic("ORDERS_PAID")).toHaveLength(1);

    const level = byTopic("INVENTORY_LEVELS_UPDATE")[0]!.rawBody;
    const m =
      /^\{"inventory_item_id":(\d+),"location_id":(\d+),"available":(\d+),"updated_at":"[^"]+","admin_graphql_api_id":"gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=(\d+)"\}$/.exec(
        level,
      );
    expect(m).not.toBeNull();
    expect(m![1]).toBe(m![4]);
    expect(BigInt(m![1]!)).toBeGreaterThan(2n ** 53n);

    expect(byTopic("PRODUCTS_DELETE")[0]!.rawBody).toMatch(/^\{"id":\d+\}$/);
    const shopJson = JSON.parse(byTopic("APP_UNINSTALLED")[0]!.rawBody) as { myshopify_domain: string };
    expect(shopJson.myshopify_domain).toBe(SHOP);
    // Webhook ids are per delivery.
    const ids = receiver.received.map((r) => r.webhookId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("delivers to shop-specific subscriptions too, with their own api version", async () => {
    shopSubscriptions.push({
      id: "gid://shopify/WebhookSubscription/1",
      topic: "PRODUCTS_DELETE",
      uri: `${receiver.url}/shop-sub`,
      apiVersion: "2026-07",
    });
    ctx.events.emit("change", {
      shop: SHOP,
      topic: "products/delete",
      resource: { id: "9007199254740993" },
      triggeredAt: new Date(),
      eventId: "e1",
    });
    await sender.flush();
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received.map((r) => r.apiVersion).sort()).toEqual(["2026-07", "2026-10"]);
    expect(receiver.received.every((r) => r.rawBody === '{"id":9007199254740993}')).toBe(true);
    expect(receiver.received.every((r) => r.headers["x-shopify-event-id"] === "e1")).toBe(true);
  });
});

describe("failures, retries and switches", () => {
  const send = (n: number, extra: Record<string, unknown> = {}) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        control<{ deliveries: DeliveryRecord[] }>("POST", "/__emulator/webhooks/send", {
          shop: SHOP,
          topic: "products/delete",
          payload: `{"id":${i}}`,
          ...extra,
        }),
      ),
    );

  it("retries a failing delivery with the same webhook id until it succeeds", async () => {
    let n = 0;
    receiver.respond = () => (++n <= 2 ? 503 : undefined);
    await send(1);
    await control("POST", "/__emulator/webhooks/flush", {});
    const { deliveries } = await control<{ deliveries: DeliveryRecord[] }>(
      "GET",
      `/__emulator/webhooks/deliveries?shop=${SHOP}`,
    );
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.status).toBe("delivered");
    expect(deliveries[0]!.attempts.map((a) => a.status)).toEqual([503, 503, 200]);
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-webhook-id"]))).toEqual(
      new Set([deliveries[0]!.webhookId]),
    );
    expect(new Set(receiver.received.map((r) => r.headers["x-shopify-hmac-sha256"])).size).toBe(1);
  });

  it("counts a receiver slower than the timeout as a failure", async () => {
    let n = 0;
    receiver.respond = () => (++n === 1 ? "hang" : undefined);
    await send(1);
    await sender.flush();
    const [record] = sender.deliveries();
    expect(record!.attempts[0]!.error).toBe("timeout");
    expect(record!.status).toBe("delivered");
  });

  it("duplicate: every delivery arrives N times with the same webhook id", async () => {
    await control("POST", "/__emulator/webhooks/behaviour", { shop: SHOP, duplicate: 3 });
    await send(2);
    await sender.flush();
    expect(receiver.received).toHaveLength(6);
    const perId = new Map<string, number>();
    for (const r of receiver.received) perId.set(r.webhookId, (perId.get(r.webhookId) ?? 0) + 1);
    expect([...perId.values()]).toEqual([3, 3]);
  });

  it("reorder: a window is delivered shuffled; drop: a fraction is lost and logged", async () => {
    await control("POST", "/__emulator/webhooks/behaviour", { reorder: 20, seed: 7 });
    // Sequential sends so the emulator's enqueue order is known.
    for (let i = 0; i < 20; i++) await send(1, { payload: `{"id":${i}}` });
    await sender.flush();
    const order = receiver.received.map((r) => Number(/\d+/.exec(r.rawBody)![0]));
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(order).not.toEqual(Array.from({ length: 20 }, (_, i) => i));

    receiver.received.length = 0;
    await control("POST", "/__emulator/webhooks/behaviour", { reset: true });
    await control("POST", "/__emulator/webhooks/behaviour", { shop: SHOP, drop: 0.5, seed: 1 });
    await send(40);
    await sender.flush();
    const dropped = sender.deliveries({ status: "dropped" }).length;
    expect(dropped).toBeGreaterThan(5);
    expect(dropped).toBeLessThan(35);
    expect(receiver.received).toHaveLength(40 - dropped);
  });

  it("delay holds the first attempt back", async () => {
    await control("POST", "/__emulator/webhooks/behaviour", { delayMs: 150 });
    const t0 = Date.now();
    await send(1);
    await sender.flush();
    expect(receiver.received[0]!.at - t0).toBeGreaterThanOrEqual(140);
  });
});
