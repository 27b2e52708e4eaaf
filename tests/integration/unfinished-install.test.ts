// An install whose afterAuth failed is finished later (issue 12, item 1; app/stores/install.server.ts).
// The library stores the offline session after token exchange and calls afterAuth once; here the
// `shop` query of afterAuth fails (the emulator answers 423 Locked for the shop), and the next page load,
// API call or webhook processing must finish the install: a store row recorded from the `shop` query,
// the first full sync requested, the reconciliation chain scheduled, and webhook deliveries that
// arrived meanwhile applied rather than ignored. Reinstall: every authentication ensures the chain.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { runUntilIdle } from "~/sync/queue.server";
import { onPermanentFailure } from "~/sync/tasks/index.server";
import { PROCESS_WEBHOOK_TASK, processWebhook } from "~/sync/tasks/webhooks/process.server";
import { startTestEmulator, pointAppAtEmulator, type TestEmulator } from "../support/emulator";
import { startAppServer, type AppServer } from "../support/app-http";
import { jobsWithKeyPrefix, removeJobsWithKeyPrefix } from "../support/queue-jobs";
import { bearerRequest, embeddedDocumentRequest, installedOfflineSession } from "../support/shopify-requests";

const SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders"];
let emulator: TestEmulator;
let app: AppServer;

const control = (method: string, path: string, body?: unknown) => emulator.control(method, path, body);

/** A shop in "Shopify" whose Admin API answers 423 Locked until `healthy` is called. */
async function shopWithFailingAdminApi(shop: string, accessToken?: string) {
  await control("POST", "/shops", {
    shop,
    scopes: SCOPES,
    replace: true,
    name: `Shop ${shop}`,
    currencyCode: "EUR",
    seed: { products: 2, orders: 1 },
    ...(accessToken && { accessToken }),
  });
  await control("POST", "/faults", { shop, error5xxRate: 1, errorStatus: 423 });
  return { healthy: () => control("DELETE", `/faults?shop=${shop}`) };
}

async function thrownBy(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (thrown) {
    return thrown;
  }
  throw new Error("expected the call to throw");
}

const reconcileJobKeys = async (storeId: number) =>
  (await jobsWithKeyPrefix(`sync/reconcile:${storeId}:`)).map((job) => job.key);
/** As after an uninstall: the chain ended (a run for an uninstalled store schedules no next one). */
const removeReconcileJobs = (storeId: number) => removeJobsWithKeyPrefix(`sync/reconcile:${storeId}:`);

/** A signed products/update delivery from "Shopify" to the app's ingest route, over HTTP. */
async function deliverProductUpdate(shop: string, productId: number) {
  const response = await fetch(`${emulator.url}/__emulator/webhooks/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      shop,
      topic: "products/update",
      payload: JSON.stringify({
        id: productId,
        admin_graphql_api_id: `gid://shopify/Product/${productId}`,
        title: "Arrived while installing",
        handle: `arrived-while-installing-${productId}`,
        vendor: "Acme",
        product_type: "",
        status: "active",
        tags: "",
        created_at: "2026-01-01T00:00:00Z",
        updated_at: "2026-01-02T00:00:00Z",
        variants: [],
      }),
      uri: `${app.url}/webhooks/products/update`,
      wait: true,
      bypassBehaviour: true,
    }),
  });
  expect(response.status).toBe(200);
  return db.shopifyWebhookEvent.findFirstOrThrow({
    where: { shop, resourceId: `gid://shopify/Product/${productId}` },
  });
}

/** Runs webhook processing only (the syncs an install requests are not what these tests are about). */
const processDeliveries = () => runUntilIdle({ tasks: { [PROCESS_WEBHOOK_TASK]: processWebhook }, onPermanentFailure });

const dashboard = async (shop: string) => {
  const { loader } = await import("~/routes/app._index");
  return loader({ request: await embeddedDocumentRequest("/app", shop), params: {}, context: {} });
};

async function expectFinishedInstall(shop: string) {
  const store = await db.shopifyStore.findUniqueOrThrow({ where: { shop } });
  expect(store).toMatchObject({ name: `Shop ${shop}`, currencyCode: "EUR", status: "active" });
  expect(store.installPendingSince).toBeNull();
  const fullSyncs = await db.shopifySyncJob.findMany({ where: { storeId: store.id, kind: "full" } });
  expect(fullSyncs.map((job) => job.resource).sort()).toEqual(["inventory", "orders", "products"]);
  expect(await reconcileJobKeys(store.id)).toEqual([
    `sync/reconcile:${store.id}:inventory`,
    `sync/reconcile:${store.id}:orders`,
    `sync/reconcile:${store.id}:products`,
  ]);
  return store;
}

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator({ appUrl: app.url, app: { scopes: SCOPES, webhookSubscriptions: [] } });
  pointAppAtEmulator(emulator); // before app/shopify.server.ts is first imported
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("an install whose afterAuth failed", () => {
  it("is finished on the next page load", async () => {
    const shop = "unfinished-page.myshopify.com";
    const admin = await shopWithFailingAdminApi(shop);

    const failed = await thrownBy(dashboard(shop));
    expect(failed).toBeInstanceOf(Response);
    expect((failed as Response).status).toBe(500); // afterAuth threw: the library answers 500
    expect(await db.session.count({ where: { shop, isOnline: false } })).toBe(1); // stored before afterAuth
    expect(await db.shopifyStore.count({ where: { shop } })).toBe(0);

    // Still failing: the page says "connecting" (no store), and the next load tries again.
    expect((await dashboard(shop)).store).toBeNull();

    await admin.healthy();
    const view = await dashboard(shop);
    expect(view.store).toMatchObject({ name: `Shop ${shop}` });
    await expectFinishedInstall(shop);
  });

  it("is finished on the next API call", async () => {
    const shop = "unfinished-api.myshopify.com";
    const admin = await shopWithFailingAdminApi(shop);
    expect(await thrownBy(dashboard(shop))).toBeInstanceOf(Response);
    await admin.healthy();

    const { loader } = await import("~/routes/api.v1.shopify.stores._index");
    const response = (await loader({
      request: await bearerRequest("/api/v1/shopify/stores", shop),
      params: {},
      context: {},
    })) as Response;
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ shop: string; name: string }> };
    expect(JSON.stringify(body)).toContain(`Shop ${shop}`);
    await expectFinishedInstall(shop);
  });

  it("keeps the shop's webhook deliveries and applies them once processing finishes the install", async () => {
    const shop = "unfinished-webhook.myshopify.com";
    const session = installedOfflineSession(shop);
    const admin = await shopWithFailingAdminApi(shop, session.accessToken);
    // As token exchange leaves it when afterAuth fails: an offline session, no store row.
    const { sessionStorage } = await import("~/shopify.server");
    await sessionStorage.storeSession(session);

    const delivery = await deliverProductUpdate(shop, 7001);
    expect(delivery.status).toBe("received"); // kept for processing, not "ignored"
    expect(delivery.storeId).not.toBeNull();

    // Processing cannot finish the install yet (423): the delivery is applied all the same.
    await processDeliveries();
    expect((await db.shopifyWebhookEvent.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("processed");
    expect(await db.shopifyProduct.count({ where: { storeId: delivery.storeId ?? -1 } })).toBe(1);
    expect((await db.shopifyStore.findUniqueOrThrow({ where: { shop } })).installPendingSince).not.toBeNull();

    // The next delivery's processing finishes it.
    await admin.healthy();
    const { replayWebhookEvent } = await import("~/webhooks/events.server");
    await replayWebhookEvent(delivery.storeId ?? -1, delivery.id);
    await processDeliveries();
    const store = await expectFinishedInstall(shop);
    expect(store.id).toBe(delivery.storeId);
  });

  it("a reinstall whose afterAuth failed is finished, and its deliveries are not ignored as uninstalled", async () => {
    const shop = "unfinished-reinstall.myshopify.com";
    const admin = await shopWithFailingAdminApi(shop);
    await admin.healthy();
    await dashboard(shop); // installed
    const store = await expectFinishedInstall(shop);
    // Uninstalled (app/uninstalled: store marked, sessions deleted), its reconciliation chain ended.
    await db.shopifyStore.update({ where: { id: store.id }, data: { status: "uninstalled" } });
    await db.session.deleteMany({ where: { shop } });
    await removeReconcileJobs(store.id);

    await control("POST", "/faults", { shop, error5xxRate: 1, errorStatus: 423 });
    expect(await thrownBy(dashboard(shop))).toBeInstanceOf(Response); // reinstall: afterAuth fails
    expect((await db.shopifyStore.findUniqueOrThrow({ where: { shop } })).status).toBe("uninstalled");
    const delivery = await deliverProductUpdate(shop, 7002);
    expect(delivery).toMatchObject({ status: "received", storeId: store.id });

    // Processing finishes the reinstall first, so the delivery is applied, not ignored as uninstalled.
    await admin.healthy();
    await processDeliveries();
    expect((await db.shopifyWebhookEvent.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("processed");
    await expectFinishedInstall(shop);
    expect((await dashboard(shop)).store).toMatchObject({ status: "active" });
  });
});

describe("reinstall", () => {
  it("schedules the reconciliation chain again although a full sync exists", async () => {
    const shop = "reinstall-chain.myshopify.com";
    const admin = await shopWithFailingAdminApi(shop);
    await admin.healthy();
    await dashboard(shop);
    const store = await expectFinishedInstall(shop);
    await db.shopifyStore.update({ where: { id: store.id }, data: { status: "uninstalled" } });
    await db.session.deleteMany({ where: { shop } });
    await removeReconcileJobs(store.id);
    expect(await reconcileJobKeys(store.id)).toEqual([]);

    await dashboard(shop); // token exchange again: afterAuth
    await expectFinishedInstall(shop);
    expect(await db.shopifySyncJob.count({ where: { storeId: store.id, kind: "full" } })).toBe(3); // not again
  });
});
