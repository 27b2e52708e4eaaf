// Promise 1 of the webhook pipeline: Shopify delivers at least once and in any order, so every delivery
// sent three times, all shuffled (with processing running at random points in between), must leave the
// same rows as one in-order delivery of each. The deliveries are real store activity: the emulator's
// merchant and customer actions (products, variants, orders, inventory) under a clock that moves on by
// whole seconds, because Shopify's REST updated_at has one-second resolution.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { bodyFor, FakeClock, type StoreChange } from "../../tools/shopify-emulator/src/testing";
import { startTestEmulator, type RunningEmulator } from "../support/emulator";
import { storeSnapshot } from "../support/mirror";
import { startAppServer, type AppServer } from "../support/app-http";
import { drainQueue, seededRandom, shuffled, stableJson } from "./support/webhooks";

const SOURCE = "activity.myshopify.com"; // the emulator shop whose activity produces the deliveries
const IN_ORDER = "in-order.myshopify.com";
const SHUFFLED = "shuffled.myshopify.com";
const SEED = 20261124;

interface Recorded {
  topic: string;
  body: string;
  eventId: string;
  triggeredAt: string;
  webhookId: string;
}

let app: AppServer;
let emulator: RunningEmulator;
const clock = new FakeClock();
const recorded: Recorded[] = [];

async function control<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulator.url}/__emulator${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** One merchant or customer action, one or more seconds after the previous one. */
async function act<T>(method: string, path: string, body?: unknown): Promise<T> {
  clock.advance(1_000 + Math.floor(seededRandom(recorded.length + 1)() * 3) * 1_000);
  return control<T>(method, `/shops/${SOURCE}${path}`, body);
}

async function send(shop: string, delivery: Recorded): Promise<void> {
  await control("POST", "/webhooks/send", {
    shop,
    topic: delivery.topic,
    // The source shop's bodies, made the target shop's: an order names its shop (order_status_url), and
    // ingest refuses one shop's order delivered for another (docs/decisions/0016-trust-boundary.md).
    payload: delivery.body.replaceAll(SOURCE, shop),
    uri: `${app.url}/webhooks/${delivery.topic}`,
    webhookId: delivery.webhookId, // the same id on every copy, as on Shopify's retries
    eventId: delivery.eventId,
    triggeredAt: delivery.triggeredAt,
    bypassBehaviour: true,
  });
}

const processAll = drainQueue;

interface ProductView {
  id: string;
  variants: Array<{ id: string; inventoryItemId: string }>;
}
interface OrderView {
  id: string;
}

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url, clock });
  // The emulator has no subscriptions here (no TOML): its activity is recorded as the exact bodies it
  // would send, and this test decides who gets them, how often and in which order.
  emulator.ctx.events.on("change", (change: StoreChange) => {
    if (change.shop !== SOURCE) return;
    recorded.push({
      topic: change.topic,
      body: bodyFor(change),
      eventId: change.eventId,
      triggeredAt: change.triggeredAt.toISOString(),
      webhookId: `wh-${recorded.length + 1}`,
    });
  });
  await control("POST", "/shops", { shop: SOURCE, seed: { seed: 7, products: 0, locations: 2, orders: 0 } });
  for (const shop of [IN_ORDER, SHUFFLED]) {
    await db.shopifyStore.create({ data: { shop, name: shop, currencyCode: "USD" } });
  }
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

async function storeActivity(): Promise<void> {
  const store = await control<{ locations: Array<{ id: string }> }>("GET", `/shops/${SOURCE}/store`);
  const [first, second] = store.locations;
  if (!first || !second) throw new Error("the seeded shop needs two locations");
  const products: ProductView[] = [];
  for (const n of [1, 2, 3]) {
    products.push(
      await act<ProductView>("POST", "/products", {
        title: `Product ${n}`,
        vendor: "Acme",
        options: [{ name: "Size", values: ["S", "M", "L"] }],
        variants: ["S", "M", "L"].map((size) => ({
          sku: `P${n}-${size}`,
          price: `${10 * n}.00`,
          options: [size],
          available: 20,
        })),
      }),
    );
  }
  const [p1, p2, p3] = products as [ProductView, ProductView, ProductView];
  await act("PATCH", `/products/${p1.id}`, { title: "Product 1 (renamed)", tags: ["sale"] });
  await act("PATCH", `/products/${p2.id}`, { removeVariantIds: [p2.variants[2]?.id] });
  await act("PATCH", `/products/${p1.id}`, { status: "DRAFT", vendor: "Acme Ltd" });
  const v = (p: ProductView, i: number) => p.variants[i] as { id: string; inventoryItemId: string };
  await act("POST", "/inventory", { inventoryItemId: v(p1, 0).inventoryItemId, locationId: first.id, available: 7 });
  await act("POST", "/inventory", { inventoryItemId: v(p1, 0).inventoryItemId, locationId: second.id, delta: 5 });
  await act("POST", "/inventory", { inventoryItemId: v(p3, 1).inventoryItemId, locationId: first.id, delta: -3 });
  const paid = await act<OrderView>("POST", "/orders", {
    lineItems: [
      { variantId: v(p1, 0).id, quantity: 2 },
      { variantId: v(p3, 1).id, quantity: 1 },
    ],
    customer: { email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" },
    financialStatus: "PENDING",
    taxRate: 0.2,
    shipping: "4.99",
  });
  const cancelled = await act<OrderView>("POST", "/orders", {
    lineItems: [{ variantId: v(p2, 0).id, quantity: 3 }],
    financialStatus: "PAID",
  });
  await act("POST", `/orders/${paid.id}/pay`);
  await act("POST", `/orders/${cancelled.id}/cancel`, { reason: "CUSTOMER", restock: true });
  await act("PATCH", `/products/${p3.id}`, { title: "Product 3 (final)" });
  await act("DELETE", `/products/${p2.id}`);
  await act("POST", "/inventory", { inventoryItemId: v(p3, 0).inventoryItemId, locationId: second.id, available: 0 });
}

describe("at-least-once, any-order delivery", () => {
  it("three shuffled copies of every delivery give the same rows as one in-order delivery each", async () => {
    await storeActivity();
    const topics = new Set(recorded.map((delivery) => delivery.topic));
    // A realistic mix, or the comparison proves little.
    for (const topic of ["products/create", "products/update", "products/delete", "inventory_levels/update"]) {
      expect(topics, topic).toContain(topic);
    }
    for (const topic of ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"]) {
      expect(topics, topic).toContain(topic);
    }

    // Reference: each delivery once, in the order the store emitted them, processed as it arrives.
    for (const delivery of recorded) {
      await send(IN_ORDER, delivery);
      await control("POST", "/webhooks/flush", { fastForward: true });
      await processAll();
    }

    // Under test: three copies of each, shuffled, sent eight at a time, with processing at random
    // points, so older deliveries often arrive after newer ones were applied.
    const random = seededRandom(SEED);
    const copies = shuffled(
      recorded.flatMap((delivery) => [delivery, delivery, delivery]),
      random,
    );
    for (let i = 0; i < copies.length; i += 8) {
      await Promise.all(copies.slice(i, i + 8).map((delivery) => send(SHUFFLED, delivery)));
      await control("POST", "/webhooks/flush", { fastForward: true });
      if (random() < 0.4) await processAll();
    }
    await processAll();

    const failed = await emulator.webhooks.deliveries({ status: "failed" });
    expect(failed).toEqual([]);
    const [inOrderStore, shuffledStore] = await Promise.all(
      [IN_ORDER, SHUFFLED].map((shop) => db.shopifyStore.findUniqueOrThrow({ where: { shop } })),
    );
    for (const store of [inOrderStore, shuffledStore]) {
      const events = await db.shopifyWebhookEvent.groupBy({
        by: ["status"],
        where: { storeId: store?.id },
        _count: true,
      });
      // Duplicates were answered 200 and stored once; every stored delivery was applied.
      expect(events, store?.shop).toEqual([{ status: "processed", _count: recorded.length }]);
    }

    const expected = await storeSnapshot(inOrderStore?.id ?? 0);
    const actual = await storeSnapshot(shuffledStore?.id ?? 0);
    expect(expected.products.length).toBe(3);
    expect(expected.variants.length).toBe(6); // product 2 is deleted, with its variants
    expect(expected.orders.length).toBe(2);
    expect(expected.lineItems.length).toBe(3);
    expect(expected.inventoryLevels.length).toBeGreaterThanOrEqual(3);
    // Each store's orders name their own shop (order_status_url in raw); otherwise they are the same.
    const sameShop = (snapshot: unknown, shop: string) =>
      JSON.parse(stableJson(snapshot).replaceAll(shop, "SHOP")) as unknown;
    expect(sameShop(actual, SHUFFLED)).toEqual(sameShop(expected, IN_ORDER));
  });
});
