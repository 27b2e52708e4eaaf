// Data requests are answerable: customers/data_request deliveries (signed, over HTTP, processed by the
// queue) become records the JSON API lists and exports with a session token — tenant-scoped (another
// shop's store or request answers 404, a bad token 401 and a security event), the export holding every
// record about the customer, matched by customer id and by email in any case — and a request can be
// marked fulfilled.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { scrapeMetrics } from "~/observability/metrics.server";
import * as requestRoute from "~/routes/api.v1.shopify.stores.$shopId.data-requests.$id";
import * as listRoute from "~/routes/api.v1.shopify.stores.$shopId.data-requests._index";
import { sessionStorage } from "~/shopify.server";
import { startAppServer, type AppServer } from "../support/app-http";
import { bearerRequest, installedOfflineSession, sessionToken } from "../support/shopify-requests";
import { asResponse, outcome } from "../tenant/seed";
import { drainQueue, postDelivery } from "../webhooks/support/webhooks";

const SHOP_A = "requests-a.myshopify.com";
const SHOP_B = "requests-b.myshopify.com";
const EMAIL = "Pat.Requester@Example.com";
const base = "/api/v1/shopify/stores";
const sample = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/orders_create.json", "utf8");

let app: AppServer;
const stores: Record<string, number> = {};

/** An order of the customer on `shop`: `withCustomerId` false leaves only the email (in another case). */
function order(shop: string, orderId: string, withCustomerId: boolean, email: string): string {
  const body = JSON.parse(sample.replaceAll("jsmith.myshopify.com", shop)) as Record<string, unknown> & {
    customer: Record<string, unknown>;
  };
  Object.assign(body, { id: Number(orderId), admin_graphql_api_id: `gid://shopify/Order/${orderId}`, email });
  body.customer = withCustomerId
    ? { ...body.customer, id: 4400001, email }
    : { ...body.customer, id: 4400099, email: null };
  return JSON.stringify(body);
}

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;
const call = async (handler: Handler, request: Request, params: Record<string, string>) =>
  asResponse(await outcome(() => handler({ request, params, context: {} })));

beforeAll(async () => {
  app = await startAppServer();
  for (const shop of [SHOP_A, SHOP_B]) {
    stores[shop] = (await db.shopifyStore.create({ data: { shop, name: shop, currencyCode: "USD" } })).id;
    await sessionStorage.storeSession(installedOfflineSession(shop));
    // One order with the customer's id, one that has only their email, upper-cased; one of someone else.
    await postDelivery(app.url, { shop, topic: "orders/create", body: order(shop, "6600001", true, EMAIL) });
    await postDelivery(app.url, {
      shop,
      topic: "orders/create",
      body: order(shop, "6600002", false, EMAIL.toUpperCase()),
    });
    await postDelivery(app.url, { shop, topic: "orders/create", body: order(shop, "6600003", false, "other@x.org") });
    // Someone whose email contains theirs, and a request of a customer whose id contains theirs.
    await postDelivery(app.url, { shop, topic: "orders/create", body: order(shop, "6600004", false, `Top.${EMAIL}`) });
    const lookalike = JSON.stringify({
      shop_id: 1,
      shop_domain: shop,
      customer: { id: 44000011, email: "lookalike@x.org", phone: null },
      orders_requested: [],
      data_request: { id: 78 },
    });
    expect(await postDelivery(app.url, { shop, topic: "customers/data_request", body: lookalike })).toBe(200);
    const request = JSON.stringify({
      shop_id: 1,
      shop_domain: shop,
      customer: { id: 4400001, email: EMAIL.toLowerCase(), phone: null },
      orders_requested: [],
      data_request: { id: 77 },
    });
    expect(await postDelivery(app.url, { shop, topic: "customers/data_request", body: request })).toBe(200);
  }
  await drainQueue();
});

afterAll(async () => {
  await app?.close();
});

const idOf = async (shop: string) =>
  (await db.shopifyCustomerDataRequest.findFirstOrThrow({ where: { storeId: stores[shop], dataRequestId: "77" } })).id;

describe("the data requests API", () => {
  it("lists the shop's own requests, pending", async () => {
    const shopId = String(stores[SHOP_A]);
    const response = await call(listRoute.loader, await bearerRequest(`${base}/${shopId}/data-requests`, SHOP_A), {
      shopId,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: Array<{ id: string; status: string; email: string }> };
    expect(body.data).toHaveLength(2); // theirs and the lookalike's, both of shop A
    expect(body.data).toContainEqual(
      expect.objectContaining({ id: await idOf(SHOP_A), status: "pending", email: EMAIL.toLowerCase() }),
    );
    const ownIds = (await db.shopifyCustomerDataRequest.findMany({ where: { storeId: stores[SHOP_A] } })).map(
      (r) => r.id,
    );
    expect(body.data.map((request) => request.id).sort()).toEqual(ownIds.sort());
  });

  it("exports every order of the customer, by customer id and by email in any case, and no one else's", async () => {
    const shopId = String(stores[SHOP_A]);
    const id = await idOf(SHOP_A);
    const response = await call(
      requestRoute.loader,
      await bearerRequest(`${base}/${shopId}/data-requests/${id}`, SHOP_A),
      { shopId, id },
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { request: { id: string }; records: Record<string, Array<Record<string, unknown>>> };
    };
    expect(data.request.id).toBe(id);
    const orders = data.records.shopify_orders?.map((row) => row.shopifyId).sort();
    expect(orders).toEqual(["gid://shopify/Order/6600001", "gid://shopify/Order/6600002"]);
    expect(data.records.shopify_orders?.[0]?.lineItems).toBeInstanceOf(Array);
    // The deliveries that carried them, and the request itself.
    expect(data.records.shopify_webhook_events?.length).toBeGreaterThanOrEqual(2);
    expect(data.records.shopify_customer_data_requests).toHaveLength(1);
    expect(JSON.stringify(data)).not.toContain("other@x.org");
    // Text that merely contains theirs is someone else's.
    expect(JSON.stringify(data).toLowerCase()).not.toContain(`top.${EMAIL.toLowerCase()}`);
    expect(JSON.stringify(data)).not.toContain("lookalike@x.org");
  });

  it("customers/redact erases them, and leaves the lookalikes' deliveries and orders as they were", async () => {
    const shop = SHOP_B;
    const storeId = stores[shop];
    const before = await db.shopifyWebhookEvent.findMany({
      where: {
        storeId,
        OR: [{ resourceId: "gid://shopify/Order/6600004" }, { rawBody: { contains: "lookalike@x.org" } }],
      },
      select: { id: true, rawBody: true },
    });
    expect(before).toHaveLength(2);
    const redact = JSON.stringify({
      shop_id: 1,
      shop_domain: shop,
      customer: { id: 4400001, email: EMAIL.toLowerCase(), phone: null },
      orders_to_redact: [],
    });
    expect(await postDelivery(app.url, { shop, topic: "customers/redact", body: redact })).toBe(200);
    await drainQueue();
    const theirs = await db.shopifyOrder.findMany({ where: { storeId }, orderBy: { shopifyId: "asc" } });
    expect(theirs.map((row) => [row.shopifyId, row.email])).toEqual([
      ["gid://shopify/Order/6600001", null],
      ["gid://shopify/Order/6600002", null],
      ["gid://shopify/Order/6600003", "other@x.org"],
      ["gid://shopify/Order/6600004", `Top.${EMAIL}`],
    ]);
    for (const event of before) {
      expect((await db.shopifyWebhookEvent.findUniqueOrThrow({ where: { id: event.id } })).rawBody).toBe(event.rawBody);
    }
    const lookalikeRequest = await db.shopifyCustomerDataRequest.findFirstOrThrow({
      where: { storeId, dataRequestId: "78" },
    });
    expect(lookalikeRequest).toMatchObject({ email: "lookalike@x.org", redactedAt: null });
  });

  it("answers 404 for another shop's store or request, and 401 (a security event) for a bad token", async () => {
    const shopId = String(stores[SHOP_A]);
    const otherRequest = await idOf(SHOP_B);
    const foreign = await call(
      requestRoute.loader,
      await bearerRequest(`${base}/${shopId}/data-requests/${otherRequest}`, SHOP_A),
      { shopId, id: otherRequest },
    );
    expect(foreign.status).toBe(404);
    const otherStore = String(stores[SHOP_B]);
    const foreignStore = await call(
      listRoute.loader,
      await bearerRequest(`${base}/${otherStore}/data-requests`, SHOP_A),
      { shopId: otherStore },
    );
    expect(foreignStore.status).toBe(404);

    const count = async () =>
      Number(
        /^shop_sync_security_events_total\{event="session_token_invalid",topic="none"\} (\S+)$/m.exec(
          (await scrapeMetrics()).body,
        )?.[1] ?? 0,
      );
    const before = await count();
    const forged = new Request(new URL(`${base}/${shopId}/data-requests`, process.env.SHOPIFY_APP_URL), {
      headers: { Authorization: `Bearer ${await sessionToken(SHOP_A, { secret: "not-the-secret" })}` },
    });
    expect((await call(listRoute.loader, forged, { shopId })).status).toBe(401);
    expect(await count()).toBe(before + 1);
  });

  it("marks a request fulfilled", async () => {
    const shopId = String(stores[SHOP_A]);
    const id = await idOf(SHOP_A);
    const request = await bearerRequest(`${base}/${shopId}/data-requests/${id}`, SHOP_A, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ fulfilled: true }),
    });
    const response = await call(requestRoute.action, request, { shopId, id });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { data: { status: string } }).data.status).toBe("fulfilled");
    // B's request is untouched.
    expect(
      (await db.shopifyCustomerDataRequest.findFirstOrThrow({ where: { storeId: stores[SHOP_B] } })).fulfilledAt,
    ).toBeNull();
  });
});
