// Customer-data level none (ADR 0023; this file's environment): Shopify counts every order as customer
// data, so the app keeps none. An orders/create delivered over real HTTP is stored (Shopify got its
// 200) and marked ignored with the reason; no order row is written; the dashboard says why.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.CUSTOMER_DATA_LEVEL = "none";
});

import { db } from "~/db.server";
import { runUntilIdle } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { customerDataNotice } from "~/view-models/customer-data.server";
import { startTestEmulator, type RunningEmulator } from "../support/emulator";
import { startAppServer, type AppServer } from "../support/app-http";
import { webhookSample } from "../support/webhook-samples";

const shop = "customer-data-none.myshopify.com";
const sample = webhookSample("orders_create", shop);
let emulator: RunningEmulator;
let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url });
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("customer-data level none", () => {
  it("ignores order deliveries, with the reason, and the dashboard says orders are not synced", async () => {
    const store = await db.shopifyStore.create({ data: { shop, name: "None", currencyCode: "USD" } });
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
    const event = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { storeId: store.id } });
    expect(event).toMatchObject({ status: "ignored", lastError: "customer-data level none: no orders" });
    expect(await db.shopifyOrder.count({ where: { storeId: store.id } })).toBe(0);
    expect(await customerDataNotice(store)).toMatchObject({ kind: "ordersOff", title: "Orders are not synced" });
  });
});
