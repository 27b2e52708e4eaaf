// The JSON API (/api/v1/shopify/stores/…), authenticated with a session token as `Authorization:
// Bearer`: shop A sees and changes only its own store; shop B's id answers 404; a bad token 401.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import * as storeRoute from "~/routes/api.v1.shopify.stores.$shopId._index";
import * as statsRoute from "~/routes/api.v1.shopify.stores.$shopId.stats";
import * as syncRoute from "~/routes/api.v1.shopify.stores.$shopId.sync.$resource";
import * as jobsRoute from "~/routes/api.v1.shopify.stores.$shopId.sync.jobs";
import * as storesRoute from "~/routes/api.v1.shopify.stores._index";
import { sessionStorage } from "~/shopify.server";
import { bearerRequest, installedOfflineSession, sessionToken } from "../support/shopify-requests";
import { asResponse, outcome, seedStoreData, shopDataSnapshot, type SeededStore } from "./seed";

const SHOP_A = "api-tenant-a.myshopify.com";
const SHOP_B = "api-tenant-b.myshopify.com";
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

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;

async function call(handler: Handler, request: Request, params: Record<string, string> = {}) {
  return asResponse(await outcome(() => handler({ request, params, context: {} })));
}
const base = "/api/v1/shopify/stores";

// Every API route with the params and method it is called with, for the 401/404 sweeps.
function routes(shopId: number) {
  const id = String(shopId);
  return [
    { name: "GET store", handler: storeRoute.loader, path: `${base}/${id}`, method: "GET", params: { shopId: id } },
    {
      name: "GET stats",
      handler: statsRoute.loader,
      path: `${base}/${id}/stats`,
      method: "GET",
      params: { shopId: id },
    },
    {
      name: "GET sync jobs",
      handler: jobsRoute.loader,
      path: `${base}/${id}/sync/jobs`,
      method: "GET",
      params: { shopId: id },
    },
    ...(["products", "orders", "inventory"] as const).map((resource) => ({
      name: `POST sync ${resource}`,
      handler: syncRoute.action,
      path: `${base}/${id}/sync/${resource}`,
      method: "POST",
      params: { shopId: id, resource },
    })),
    {
      name: "DELETE store",
      handler: storeRoute.action,
      path: `${base}/${id}`,
      method: "DELETE",
      params: { shopId: id },
    },
  ] as const;
}

describe("GET /api/v1/shopify/stores", () => {
  it("returns the authenticated shop's store only", async () => {
    const response = await call(storesRoute.loader, await bearerRequest(base, SHOP_A));
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { id: number; shop: string }[] };
    expect(body.data).toEqual([expect.objectContaining({ id: a.storeId, shop: SHOP_A })]);
  });

  it("answers 401 to a token not signed with the app secret", async () => {
    const request = new Request(new URL(base, process.env.SHOPIFY_APP_URL), {
      headers: { Authorization: `Bearer ${await sessionToken(SHOP_A, { secret: "not-the-secret" })}` },
    });
    expect((await call(storesRoute.loader, request)).status).toBe(401);
  });
});

describe("shop A's own store", () => {
  it("GET store and stats read A's rows", async () => {
    const store = await call(storeRoute.loader, await bearerRequest(`${base}/${a.storeId}`, SHOP_A), {
      shopId: String(a.storeId),
    });
    expect(((await store.json()) as { data: { shop: string } }).data.shop).toBe(SHOP_A);
    const stats = await call(statsRoute.loader, await bearerRequest(`${base}/${a.storeId}/stats`, SHOP_A), {
      shopId: String(a.storeId),
    });
    const body = (await stats.json()) as {
      data: { products: number; unitsInStock: number; orders: number; revenue: { minor: string; formatted: string } };
    };
    expect(body.data).toMatchObject({
      products: 2,
      unitsInStock: 5,
      orders: 2,
      revenue: { minor: "1000", formatted: "€10.00" },
    });
  });

  it("GET sync jobs lists A's jobs", async () => {
    const response = await call(jobsRoute.loader, await bearerRequest(`${base}/${a.storeId}/sync/jobs`, SHOP_A), {
      shopId: String(a.storeId),
    });
    const body = (await response.json()) as { data: { id: string }[]; meta: { total: number } };
    expect(body.data.map((job) => job.id)).toEqual([a.runningJobId]);
    expect(body.meta.total).toBe(1);
  });

  it("POST sync asks the engine for A's store, with the kind from the JSON body", async () => {
    const request = await bearerRequest(`${base}/${a.storeId}/sync/inventory`, SHOP_A, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ kind: "full" }),
    });
    const response = await call(syncRoute.action, request, { shopId: String(a.storeId), resource: "inventory" });
    expect(response.status).toBe(202);
    const job = await db.shopifySyncJob.findFirstOrThrow({
      where: { storeId: a.storeId, kind: "full", resource: "inventory", trigger: "manual" },
    });
    expect(job.status).toBe("queued");
  });

  it("POST sync refuses an unknown kind and an unknown resource", async () => {
    const badKind = await bearerRequest(`${base}/${a.storeId}/sync/orders`, SHOP_A, {
      method: "POST",
      body: '{"kind":"everything"}',
    });
    expect((await call(syncRoute.action, badKind, { shopId: String(a.storeId), resource: "orders" })).status).toBe(400);
    const badResource = await bearerRequest(`${base}/${a.storeId}/sync/customers`, SHOP_A, { method: "POST" });
    expect(
      (await call(syncRoute.action, badResource, { shopId: String(a.storeId), resource: "customers" })).status,
    ).toBe(404);
  });
});

describe("shop B's id, authenticated as shop A", () => {
  it("answers 404 on every route and changes nothing of B's", async () => {
    const before = await shopDataSnapshot(b.storeId);
    for (const route of routes(b.storeId)) {
      const request = await bearerRequest(route.path, SHOP_A, { method: route.method });
      const response = await call(route.handler as Handler, request, route.params);
      expect(response.status, route.name).toBe(404);
    }
    // No sync job was created for B (the snapshot counts B's sync jobs too).
    expect(await shopDataSnapshot(b.storeId)).toEqual(before);
  });

  it("answers 404 to an id that is not a number", async () => {
    const response = await call(storeRoute.loader, await bearerRequest(`${base}/abc`, SHOP_A), { shopId: "abc" });
    expect(response.status).toBe(404);
  });
});

describe("a bad token", () => {
  it("answers 401 on every route", async () => {
    for (const route of routes(a.storeId)) {
      const request = new Request(new URL(route.path, process.env.SHOPIFY_APP_URL), {
        method: route.method,
        headers: { Authorization: `Bearer ${await sessionToken(SHOP_A, { secret: "not-the-secret" })}` },
      });
      expect((await call(route.handler as Handler, request, route.params)).status, route.name).toBe(401);
    }
    expect((await shopDataSnapshot(a.storeId)).products).toBe(2);
  });
});

describe("DELETE /api/v1/shopify/stores/{shop_id}", () => {
  it("purges A's data and leaves B's", async () => {
    const before = await shopDataSnapshot(b.storeId);
    const response = await call(
      storeRoute.action,
      await bearerRequest(`${base}/${a.storeId}`, SHOP_A, { method: "DELETE" }),
      {
        shopId: String(a.storeId),
      },
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { purged: { products: number; orders: number } } };
    expect(body.data.purged).toMatchObject({ products: 2, orders: 2 });
    expect(Object.values(await shopDataSnapshot(a.storeId)).every((count) => count === 0)).toBe(true);
    expect(await shopDataSnapshot(b.storeId)).toEqual(before);
  });
});
