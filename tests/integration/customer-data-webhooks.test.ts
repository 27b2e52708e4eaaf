// Webhook processing under a customer-data level (ADR 0023), end to end: Shopify's own orders/create
// sample, signed and delivered by the emulator over real HTTP, ingested by the app's route and applied
// by the queue's worker. The app is configured for level 2 with names only (this file's environment):
// what Shopify sends beyond that (email, phone, street address, postal code) is kept neither in the
// columns nor in `raw`. Level none is in customer-data-none.test.ts (the environment is per file).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.CUSTOMER_DATA_LEVEL = "level2";
  process.env.CUSTOMER_DATA_FIELDS = "name";
});

import { db } from "~/db.server";
import { runUntilIdle } from "~/sync/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { startTestEmulator, type RunningEmulator } from "../support/emulator";
import { startAppServer, type AppServer } from "../support/app-http";
import { webhookSample } from "../support/webhook-samples";

const shop = "customer-data-webhooks.myshopify.com";
const sample = webhookSample("orders_create", shop);
let emulator: RunningEmulator;
let app: AppServer;
let storeId: number;

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
  storeId = (await db.shopifyStore.create({ data: { shop, name: "PCD", currencyCode: "USD" } })).id;
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("an orders/create delivery, the app configured for level 2 with names only", () => {
  it("keeps the names and drops every other protected field, from the columns and from raw", async () => {
    const response = await fetch(`${emulator.url}/__emulator/webhooks/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        shop,
        topic: "orders/create",
        payload: sample,
        uri: `${app.url}/webhooks/orders/create`,
        wait: true,
        bypassBehaviour: true,
      }),
    });
    expect(response.status).toBe(200);
    await runUntilIdle({ tasks, onPermanentFailure });

    const order = await db.shopifyOrder.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId, shopifyId: "gid://shopify/Order/820982911946154508" } },
    });
    expect(JSON.parse(sample)).toMatchObject({ email: "jon@example.com", contact_email: "jon@example.com" });
    expect(order).toMatchObject({ email: null, phone: null, customerFirstName: "John" });
    expect(order.shippingAddress).toMatchObject({
      name: "Steve Shipper",
      city: "Shippington",
      address1: null,
      zip: null,
      phone: null,
    });
    const raw = order.raw as Record<string, unknown>;
    expect(raw).not.toHaveProperty("email");
    expect(raw).not.toHaveProperty("contact_email");
    expect(raw).not.toHaveProperty("phone");
    expect(raw.shipping_address).not.toHaveProperty("address1");
    expect(raw.shipping_address).not.toHaveProperty("zip");
    expect(raw.customer).not.toHaveProperty("email");
    expect(JSON.stringify(raw)).not.toContain("jon@example.com");
    expect(JSON.stringify(raw)).not.toContain("123 Shipping Street");
  });
});
