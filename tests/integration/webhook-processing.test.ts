// Webhook processing end to end: Shopify's own sample payloads, signed and delivered by the emulator
// over real HTTP, ingested by the app's routes, then applied by the queue's worker, produce the rows
// they describe — with ids above 2^53 exact, newest-wins ordering, and the lifecycle and privacy
// topics doing what they must.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { parseWebhookBody } from "~/sync/engine/webhook-body";
import { runUntilIdle } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { pointAppAtEmulator, startTestEmulator, type TestEmulator } from "../support/emulator";
import { startAppServer, type AppServer } from "../support/app-http";
import { seedShop } from "../support/store";
import { installedOfflineSession } from "../support/shopify-requests";
import { webhookSample } from "../support/webhook-samples";

/** Shopify's samples, naming the test's shop. */
const sample = (name: string) => webhookSample(name, shop);
/** Shopify's app/uninstalled sample names no shop (a null myshopify_domain): name the test's. */
const uninstalledBody = () =>
  sample("app_uninstalled").replace('"myshopify_domain": null', `"myshopify_domain": "${shop}"`);

let emulator: TestEmulator;
let app: AppServer;
let storeId: number;
let shop: string;
let counter = 0;

async function deliver(topic: string, payload: string, options: { webhookId?: string; triggeredAt?: string } = {}) {
  const response = await fetch(`${emulator.url}/__emulator/webhooks/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      shop,
      topic,
      payload,
      uri: `${app.url}/webhooks/${topic}`,
      wait: true,
      bypassBehaviour: true,
      ...options,
    }),
  });
  expect(response.status).toBe(200);
}

const process = () => runUntilIdle({ tasks, onPermanentFailure });

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
  // app/uninstalled asks Shopify (here the emulator) whether the app is still installed; set before
  // anything imports app/shopify.server.ts.
  pointAppAtEmulator(emulator);
});

beforeEach(async () => {
  counter += 1;
  shop = `processing-${counter}.myshopify.com`;
  storeId = (await db.shopifyStore.create({ data: { shop, name: "Processing", currencyCode: "USD" } })).id;
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("webhook processing", () => {
  it("products/update writes the product and its variants, with ids above 2^53 exact", async () => {
    await deliver("products/update", sample("products_update"));
    await process();
    const product = await db.shopifyProduct.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId, shopifyId: "gid://shopify/Product/788032119674292922" } },
      include: { variants: true },
    });
    expect(product).toMatchObject({
      title: "Example T-Shirt",
      handle: "example-t-shirt",
      vendor: "Acme",
      syncedBy: "webhook",
    });
    expect(product.shopifyUpdatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
    expect(product.variants.length).toBeGreaterThan(0);
    for (const variant of product.variants) expect(variant.shopifyId).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
    const event = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { storeId } });
    expect(event.status).toBe("processed");
    expect(event.resourceId).toBe("gid://shopify/Product/788032119674292922");
  });

  it("orders/create writes the order and its line items, money exact", async () => {
    await deliver("orders/create", sample("orders_create"));
    await process();
    const order = await db.shopifyOrder.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId, shopifyId: "gid://shopify/Order/820982911946154508" } },
      include: { lineItems: true },
    });
    const payload = JSON.parse(sample("orders_create")) as {
      total_price: string;
      line_items: unknown[];
      currency: string;
    };
    expect(order.totalPrice).toBe(payload.total_price);
    expect(order.totalPriceMinor).toBe(BigInt(Math.round(Number(payload.total_price) * 100)));
    expect(order.currencyCode).toBe(payload.currency);
    expect(order.lineItems).toHaveLength(payload.line_items.length);
  });

  it("inventory_levels/update is keyed by its GID, whose numeric ids exceed 2^53", async () => {
    await deliver("inventory_levels/update", sample("inventory_levels_update"));
    await process();
    const level = await db.shopifyInventoryLevel.findFirstOrThrow({ where: { storeId } });
    expect(level).toMatchObject({
      inventoryItemId: "gid://shopify/InventoryItem/271878346596884015",
      locationId: "gid://shopify/Location/24826418",
      available: 10,
      // A level the app did not know: the delivery tells no on-hand or committed quantity.
      onHand: null,
      committed: null,
    });
  });

  it("inventory_levels/update changes `available` and keeps the onHand and committed it does not carry", async () => {
    // The level as the full sync's bulk query wrote it (app/admin-api/operations/fragments.ts reads
    // available, on_hand and committed), before the delivery's updated_at.
    const key = {
      storeId,
      inventoryItemId: "gid://shopify/InventoryItem/271878346596884015",
      locationId: "gid://shopify/Location/24826418",
    };
    await db.shopifyInventoryLevel.create({
      data: {
        ...key,
        shopifyId: "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015",
        available: 12,
        onHand: 15,
        committed: 3,
        shopifyUpdatedAt: new Date("2021-06-01T00:00:00Z"),
      },
    });
    await deliver("inventory_levels/update", sample("inventory_levels_update"));
    await process();
    const level = await db.shopifyInventoryLevel.findUniqueOrThrow({
      where: { storeId_inventoryItemId_locationId: key },
    });
    expect(level).toMatchObject({ available: 10, onHand: 15, committed: 3 });
    expect(level.shopifyUpdatedAt.toISOString()).toBe("2022-01-01T00:00:00.000Z");
  });

  it("an older delivery arriving later does not overwrite newer data; a deleted product stays deleted", async () => {
    const newer = sample("products_update").replaceAll("2021-12-31T19:00:00-05:00", "2022-06-01T00:00:00-05:00");
    const older = sample("products_update").replace('"title": "Example T-Shirt"', '"title": "Stale title"');
    await deliver("products/update", newer);
    await deliver("products/update", older);
    await process();
    const id = { storeId_shopifyId: { storeId, shopifyId: "gid://shopify/Product/788032119674292922" } };
    expect((await db.shopifyProduct.findUniqueOrThrow({ where: id })).title).toBe("Example T-Shirt");

    await deliver("products/delete", sample("products_delete"), { triggeredAt: "2022-07-01T00:00:00Z" });
    await deliver("products/update", newer); // a retry of the pre-deletion update, arriving late
    await process();
    expect((await db.shopifyProduct.findUniqueOrThrow({ where: id })).deletedAt?.toISOString()).toBe(
      "2022-07-01T00:00:00.000Z",
    );
  });

  it("customers/redact erases the customer's personal data from stored orders", async () => {
    await deliver("orders/create", sample("orders_create"));
    await process();
    const before = JSON.stringify(await db.shopifyOrder.findFirstOrThrow({ where: { storeId } }), (_k, v) =>
      typeof v === "bigint" ? String(v) : v,
    );
    // Parsed losslessly: the customer id exceeds 2^53.
    const order = parseWebhookBody(sample("orders_create")) as {
      email: string;
      customer: { id: string; email: string };
    };
    expect(before).toContain(order.email);
    const redact = JSON.stringify({
      shop_id: 1,
      shop_domain: shop,
      customer: { id: "CUSTOMER_ID", email: order.customer.email, phone: null },
      orders_to_redact: [],
    }).replace('"CUSTOMER_ID"', order.customer.id); // a bare integer, as Shopify writes it
    await deliver("customers/redact", redact);
    await process();
    const after = await db.shopifyOrder.findFirstOrThrow({ where: { storeId }, include: { lineItems: true } });
    const serialized = JSON.stringify(after, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    expect(serialized).not.toContain(order.email);
    expect(after.redactedAt).not.toBeNull();
    expect(after.customerFirstName).toBeNull();
    expect(after.billingAddress).toBeNull();
    expect(after.totalPrice).toBeTruthy(); // the books stay
  });

  it("customers/data_request records what we hold about the customer", async () => {
    await deliver("orders/create", sample("orders_create"));
    const order = parseWebhookBody(sample("orders_create")) as { customer: { id: string; email: string } };
    await deliver(
      "customers/data_request",
      JSON.stringify({
        shop_id: 1,
        shop_domain: shop,
        customer: { id: "CUSTOMER_ID", email: order.customer.email, phone: null },
        orders_requested: [],
        data_request: { id: 9999 },
      }).replace('"CUSTOMER_ID"', order.customer.id),
    );
    await process();
    const request = await db.shopifyCustomerDataRequest.findFirstOrThrow({ where: { storeId } });
    expect(request.dataRequestId).toBe("9999");
    expect(JSON.stringify(request.record)).toContain("820982911946154508");
  });

  it("app/uninstalled marks the store and removes its sessions; shop/redact deletes every row", async () => {
    const { sessionStorage } = await import("~/shopify.server");
    await seedShop(emulator, shop, {
      scopes: ["read_products", "read_orders"],
      seed: { seed: shop, products: 1, orders: 0, locations: 1 },
    });
    await sessionStorage.storeSession(installedOfflineSession(shop));
    await deliver("orders/create", sample("orders_create"));
    await process();
    // The merchant uninstalls: Shopify revokes the store's token, so the app can confirm the delivery.
    await emulator.control("POST", `/shops/${shop}/uninstall`);
    await deliver("app/uninstalled", uninstalledBody());
    await deliver("app/uninstalled", uninstalledBody()); // Shopify may send it twice
    await process();
    const store = await db.shopifyStore.findUniqueOrThrow({ where: { id: storeId } });
    expect(store.status).toBe("uninstalled");
    expect(await db.session.count({ where: { shop } })).toBe(0);
    expect(await db.shopifyOrder.count({ where: { storeId } })).toBe(1); // data stays until shop/redact

    await deliver("shop/redact", JSON.stringify({ shop_id: 1, shop_domain: shop }));
    await process();
    expect(await db.shopifyStore.count({ where: { id: storeId } })).toBe(0);
    expect(await db.shopifyOrder.count({ where: { storeId } })).toBe(0);
    expect(await db.shopifyWebhookEvent.count({ where: { shop } })).toBe(0);
  });

  it("app/scopes_update records the granted scopes", async () => {
    await deliver(
      "app/scopes_update",
      JSON.stringify({ id: 1, previous: ["read_products"], current: ["read_products", "read_orders"] }),
    );
    await process();
    expect((await db.shopifyStore.findUniqueOrThrow({ where: { id: storeId } })).grantedScopes).toBe(
      "read_products,read_orders",
    );
  });
});
