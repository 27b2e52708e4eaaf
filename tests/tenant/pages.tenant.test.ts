// Tenant isolation of every merchant page (loaders and actions): authenticated as shop A, a request
// never reads or changes shop B's rows, even for ids that exist in both stores or only in B.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { tenantDb } from "~/db/tenant.server";
import * as dashboard from "~/routes/app._index";
import * as orderDetail from "~/routes/app.orders.$id";
import * as orders from "~/routes/app.orders._index";
import * as productDetail from "~/routes/app.products.$id";
import * as products from "~/routes/app.products._index";
import * as settings from "~/routes/app.settings";
import * as sync from "~/routes/app.sync";
import * as webhookDetail from "~/routes/app.webhooks.$id";
import * as webhooks from "~/routes/app.webhooks._index";
import { sessionStorage } from "~/shopify.server";
import { bearerRequest, embeddedDocumentRequest, installedOfflineSession } from "../support/shopify-requests";
import { asResponse, outcome, seedStoreData, shopDataSnapshot, type SeededStore } from "./seed";

const SHOP_A = "pages-tenant-a.myshopify.com";
const SHOP_B = "pages-tenant-b.myshopify.com";
let a: SeededStore;
let b: SeededStore;

beforeAll(async () => {
  const stores = [];
  for (const shop of [SHOP_A, SHOP_B]) {
    stores.push(await db.shopifyStore.create({ data: { shop, name: `Store ${shop}`, currencyCode: "EUR" } }));
    await sessionStorage.storeSession(installedOfflineSession(shop));
  }
  const [storeA, storeB] = stores;
  if (!storeA || !storeB) throw new Error("stores not created");
  a = await seedStoreData(storeA.id, "Alpha", "100", 5);
  b = await seedStoreData(storeB.id, "Beta", "200", 7);
});

const page = (path: string) => embeddedDocumentRequest(path, SHOP_A);
const post = async (path: string, fields: Record<string, string>) => {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.set(name, value);
  return bearerRequest(path, SHOP_A, { method: "POST", body });
};

async function load<T>(loader: (args: LoaderFunctionArgs) => Promise<T>, request: Request, params = {}) {
  return outcome(() => loader({ request, params, context: {} }));
}
async function act<T>(action: (args: ActionFunctionArgs) => Promise<T>, request: Request, params = {}) {
  return asResponse(await outcome(() => action({ request, params, context: {} })));
}
function data<T>(value: T | Response): T {
  if (value instanceof Response) throw new Error(`expected data, got HTTP ${value.status}`);
  return value;
}

describe("dashboard (/app)", () => {
  it("counts and sums only shop A's data", async () => {
    const view = data(await load(dashboard.loader, await page("/app")));
    if (!("stats" in view)) throw new Error("expected the dashboard");
    expect(view.store.shop).toBe(SHOP_A);
    expect(view.stats.products).toBe("2");
    expect(view.stats.unitsInStock).toBe(String(a.available));
    expect(view.stats.orders).toBe("2");
    expect(view.stats.revenue).toBe("€10.00"); // 2 × €5.00, not B's €7.00 orders
    expect(view.webhooks.dead).toBe(1);
    expect(view.sync.running?.id).toBe(a.runningJobId);
  });
});

describe("products (/app/products)", () => {
  it("lists and searches only shop A's products", async () => {
    const view = data(await load(products.loader, await page("/app/products")));
    expect(view.products.map((product) => product.title).sort()).toEqual(["Alpha Only", "Alpha Widget"]);
    const bySku = data(await load(products.loader, await page("/app/products?q=beta-sku")));
    expect(bySku.total).toBe(0);
    const ownSku = data(await load(products.loader, await page("/app/products?q=alpha-sku")));
    expect(ownSku.products.map((product) => product.title)).toEqual(["Alpha Widget"]);
  });

  it("shows A's product, inventory and webhook for an id both stores have", async () => {
    const view = data(await load(productDetail.loader, await page("/app/products/1"), { id: "1" }));
    expect(view.product.title).toBe("Alpha Widget");
    expect(view.variants[0]?.inventory).toEqual([
      expect.objectContaining({ location: "Alpha Warehouse", available: "5" }),
    ]);
    expect(view.lastWebhook?.id).toBe(a.deadEventId);
  });

  it("answers 404 for a product only shop B has", async () => {
    const response = asResponse(
      await load(productDetail.loader, await page(`/app/products/${b.onlyId}`), { id: b.onlyId }),
    );
    expect(response.status).toBe(404);
  });
});

describe("orders (/app/orders)", () => {
  it("lists only shop A's orders, with filters", async () => {
    const view = data(await load(orders.loader, await page("/app/orders")));
    expect(view.orders.map((order) => order.name).sort()).toEqual(["#1001", "#Alpha"]);
    const filtered = data(await load(orders.loader, await page("/app/orders?financialStatus=REFUNDED")));
    expect(filtered.total).toBe(0);
  });

  it("shows A's line items and 404s B's order", async () => {
    const view = data(await load(orderDetail.loader, await page("/app/orders/1"), { id: "1" }));
    expect(view.lineItems.map((line) => line.title)).toEqual(["Alpha line"]);
    const response = asResponse(
      await load(orderDetail.loader, await page(`/app/orders/${b.onlyId}`), { id: b.onlyId }),
    );
    expect(response.status).toBe(404);
  });
});

describe("sync (/app/sync)", () => {
  it("lists only shop A's jobs", async () => {
    const view = data(await load(sync.loader, await page("/app/sync")));
    expect(view.jobs.map((job) => job.id)).toEqual([a.runningJobId]);
  });

  it("starts a sync for shop A's store only (a job row and a queued job, through the real engine)", async () => {
    const bJobs = await db.shopifySyncJob.count({ where: { storeId: b.storeId } });
    const response = await act(
      sync.action,
      await post("/app/sync", { intent: "start", kind: "full", resource: "orders" }),
    );
    expect(response.status).toBe(200);
    const created = await db.shopifySyncJob.findFirstOrThrow({
      where: { storeId: a.storeId, kind: "full", resource: "orders", trigger: "manual" },
    });
    expect(created.status).toBe("queued");
    expect(await db.shopifySyncJob.count({ where: { storeId: b.storeId } })).toBe(bJobs);
  });

  it("cannot cancel shop B's job, and cancels A's through the engine", async () => {
    const before = await shopDataSnapshot(b.storeId);
    const refused = await act(sync.action, await post("/app/sync", { intent: "cancel", jobId: b.runningJobId }));
    expect(refused.status).toBe(404);
    expect(await shopDataSnapshot(b.storeId)).toEqual(before);
    expect((await db.shopifySyncJob.findUniqueOrThrow({ where: { id: b.runningJobId } })).status).toBe("running");

    const cancelled = await act(sync.action, await post("/app/sync", { intent: "cancel", jobId: a.runningJobId }));
    expect(cancelled.status).toBe(200);
    expect((await db.shopifySyncJob.findUniqueOrThrow({ where: { id: a.runningJobId } })).status).toBe("cancelled");
  });
});

describe("webhooks (/app/webhooks)", () => {
  it("lists only shop A's deliveries and 404s B's delivery", async () => {
    const view = data(await load(webhooks.loader, await page("/app/webhooks")));
    expect(view.events.map((event) => event.id)).toEqual([a.deadEventId]);
    const own = data(
      await load(webhookDetail.loader, await page(`/app/webhooks/${a.deadEventId}`), { id: a.deadEventId }),
    );
    expect(own.payload).toBe(JSON.stringify({ title: "Alpha Widget" }, null, 2));
    expect(own.transitions.map((transition) => transition.toStatus)).toEqual(["dead"]);
    const other = asResponse(
      await load(webhookDetail.loader, await page(`/app/webhooks/${b.deadEventId}`), { id: b.deadEventId }),
    );
    expect(other.status).toBe(404);
  });

  it("cannot retry B's delivery; replaying dead ones touches only A's", async () => {
    const refused = await act(webhookDetail.action, await post(`/app/webhooks/${b.deadEventId}`, {}), {
      id: b.deadEventId,
    });
    expect(refused.status).toBe(404);
    const replay = await act(webhooks.action, await post("/app/webhooks", { intent: "replay-dead" }));
    expect(replay.status).toBe(200);
    expect(await tenantDb(a.storeId).shopifyWebhookEvent.count({ where: { status: "dead" } })).toBe(0);
    expect(await tenantDb(b.storeId).shopifyWebhookEvent.count({ where: { status: "dead" } })).toBe(1);

    const retried = await act(webhookDetail.action, await post(`/app/webhooks/${a.deadEventId}`, {}), {
      id: a.deadEventId,
    });
    expect(retried.status).toBe(200);
  });
});

describe("settings (/app/settings)", () => {
  it("saves shop A's settings only", async () => {
    const response = await act(
      settings.action,
      await post("/app/settings", {
        intent: "save",
        reconcileEveryHours: "6",
        orderHistoryDays: "90",
        retainDaysAfterUninstall: "7",
      }),
    );
    expect(response.status).toBe(200);
    const view = data(await load(settings.loader, await page("/app/settings")));
    expect(view).toMatchObject({ reconcileEveryHours: 6, orderHistoryDays: 90, retainDaysAfterUninstall: 7 });
    // 90 days without read_all_orders: the page says why Shop Sync reads 60 (ADR 0024).
    expect(view.orderHistoryHelp).toMatch(/at most 60: Shopify shows apps only the last 60 days/);
    const storeB = await db.shopifyStore.findUniqueOrThrow({ where: { id: b.storeId } });
    expect(storeB.reconcileEveryHours).toBe(24);
  });

  it("refuses invalid settings", async () => {
    const response = await act(
      settings.action,
      await post("/app/settings", {
        intent: "save",
        reconcileEveryHours: "0",
        orderHistoryDays: "x",
        retainDaysAfterUninstall: "7",
      }),
    );
    expect(response.status).toBe(400);
  });

  it("purges shop A's data and leaves shop B's", async () => {
    const before = await shopDataSnapshot(b.storeId);
    const response = await act(settings.action, await post("/app/settings", { intent: "purge", confirm: "PURGE" }));
    expect(response.status).toBe(200);
    expect(Object.values(await shopDataSnapshot(a.storeId)).every((count) => count === 0)).toBe(true);
    expect(await shopDataSnapshot(b.storeId)).toEqual(before);
    expect(before.products).toBe(2);
  });
});
