// Protected customer data and access scopes as Shopify enforces them (docs/decisions/0023): per app
// and shop, approval none / level 1 / level 2 with fields chosen one by one, in paged queries, bulk
// operations and webhook payloads; the 60-day order window without read_all_orders.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverChange, type WebhookSender } from "./webhooks/index";
import { bodyFor } from "./webhooks/payloads";
import { gid, makeId } from "./state/ids";
import { orderView } from "./state/views";
import { startCore, TEST_SHOP, type CoreHarness } from "./testing-core";

let h: CoreHarness;
const ALL_SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders", "read_customers"];
const TOKEN = "shpat_pcd_all_orders";
const RECENT_TOKEN = "shpat_pcd_recent_orders";

beforeAll(async () => {
  h = await startCore({ seed: "pcd", products: 5, maxVariants: 2, locations: 1, orders: 40, customers: 10 });
  // Orders spread over the last 120 days of the emulator clock (2026-01-15).
  await h.control("POST", `/__emulator/shops/${TEST_SHOP}/tokens`, {
    token: TOKEN,
    scopes: [...ALL_SCOPES, "read_all_orders"],
  });
  await h.control("POST", `/__emulator/shops/${TEST_SHOP}/tokens`, { token: RECENT_TOKEN, scopes: ALL_SCOPES });
});
afterAll(() => h.emu.close());
beforeEach(async () => {
  await h.control("PUT", `/__emulator/shops/${TEST_SHOP}/customer-data-access`, {
    level: "level2",
    fields: ["name", "email", "phone", "address"],
  });
});

function orderGid(): string {
  const shop = h.emu.store.getShop(TEST_SHOP)!;
  const o = shop.orders.find(Boolean)!;
  return gid("Order", makeId("Order", shop.no, o.seq));
}

const setAccess = (level: string, fields: string[] = []) =>
  h.control("PUT", `/__emulator/shops/${TEST_SHOP}/customer-data-access`, { level, fields });

const ORDERS = /* GraphQL */ `
  query Orders {
    orders(first: 3) {
      nodes {
        id
        email
        phone
        customer {
          id
          firstName
          lastName
        }
        billingAddress {
          name
          address1
          city
          zip
          phone
        }
      }
    }
  }
`;

type Err = { message: string; path: Array<string | number>; extensions: { code: string } };

describe("protected customer data: paged Admin GraphQL", () => {
  it("level 2 with every field: everything, no errors", async () => {
    const r = await h.gql(ORDERS, {}, { token: TOKEN });
    expect(r.body.errors).toBeUndefined();
    const order = r.body.data.orders.nodes[0];
    expect(order.email).toMatch(/@/);
    expect(order.billingAddress.address1).toBeTruthy();
  });

  it("level 1: protected fields are null, each with Shopify's error and path, in an HTTP 200", async () => {
    await setAccess("level1");
    const r = await h.gql(ORDERS, {}, { token: TOKEN });
    expect(r.status).toBe(200);
    const order = r.body.data.orders.nodes[0];
    expect(order.id).toMatch(/^gid:\/\/shopify\/Order\//);
    expect(order).toMatchObject({ email: null, phone: null });
    expect(order.customer).toMatchObject({ firstName: null, lastName: null });
    expect(order.customer.id).toMatch(/Customer/);
    expect(order.billingAddress).toMatchObject({ name: null, address1: null, zip: null, phone: null });
    expect(order.billingAddress.city).toBeTruthy(); // not a protected field
    const errors = r.body.errors as Err[];
    const email = errors.find((e) => e.path.join(".") === "orders.nodes.0.email")!;
    expect(email.message).toMatch(
      /^This app is not approved to access the Order object\. See https:\/\/partners\.shopify\.com\/.+\/customer_data for more details\.$/,
    );
    expect(email.extensions.code).toBe("ACCESS_DENIED");
    const first = errors.find((e) => e.path.join(".") === "orders.nodes.0.customer.firstName")!;
    expect(first.message).toMatch(/not approved to access the Customer object/);
    const zip = errors.find((e) => e.path.join(".") === "orders.nodes.0.billingAddress.zip")!;
    expect(zip.message).toMatch(/not approved to access the MailingAddress object/);
  });

  it("level 2 with some fields: only the others are redacted", async () => {
    await setAccess("level2", ["email", "name"]);
    const r = await h.gql(ORDERS, {}, { token: TOKEN });
    const order = r.body.data.orders.nodes[0];
    expect(order.email).toMatch(/@/);
    expect(order.customer.firstName).toBeTruthy();
    expect(order.billingAddress.name).toBeTruthy();
    expect(order).toMatchObject({ phone: null });
    expect(order.billingAddress).toMatchObject({ address1: null, zip: null, phone: null });
    const paths = (r.body.errors as Err[]).map((e) => e.path.slice(3).join("."));
    expect(new Set(paths)).toEqual(
      new Set(["phone", "billingAddress.address1", "billingAddress.zip", "billingAddress.phone"].map((p) => p)),
    );
  });

  it("no approval: the Order object is denied as a whole", async () => {
    await setAccess("none");
    const r = await h.gql(ORDERS, {}, { token: TOKEN });
    expect(r.status).toBe(200);
    expect(r.body.data).toBeNull();
    expect(r.body.errors).toEqual([
      expect.objectContaining({
        message: expect.stringMatching(/^This app is not approved to access the Order object\./),
        path: ["orders"],
        extensions: { code: "ACCESS_DENIED" },
      }),
    ]);
    // Nor through node(id:).
    const viaNode = await h.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: orderGid() }, { token: TOKEN });
    expect(viaNode.body.data.node).toBeNull();
    expect(viaNode.body.errors[0].message).toMatch(/not approved to access the Order object/);
    // Products are not customer data.
    const products = await h.gql(`{ products(first: 1) { nodes { id } } }`, {}, { token: TOKEN });
    expect(products.body.errors).toBeUndefined();
  });

  it("a missing scope is denied with Shopify's ACCESS_DENIED message", async () => {
    await h.control("POST", `/__emulator/shops/${TEST_SHOP}/tokens`, {
      token: "shpat_products_only",
      scopes: ["read_products"],
    });
    const r = await h.gql(`{ orders(first: 1) { nodes { id } } }`, {}, { token: "shpat_products_only" });
    expect(r.body.errors[0]).toMatchObject({
      message: "Access denied for orders field. Required access: `read_orders` access scope.",
      extensions: { code: "ACCESS_DENIED" },
      path: ["orders"],
    });
  });
});

describe("the 60-day order window", () => {
  it("without read_all_orders only orders created in the last 60 days are visible", async () => {
    const store = (await h.control("GET", `/__emulator/shops/${TEST_SHOP}/store`)).body as {
      orders: Array<{ createdAt: string }>;
    };
    const cutoff = h.clock.now() - 60 * 86_400_000;
    const recent = store.orders.filter((o) => Date.parse(o.createdAt) >= cutoff).length;
    expect(recent).toBeGreaterThan(0);
    expect(recent).toBeLessThan(store.orders.length);
    const count = async (token: string) =>
      (await h.gql(`{ ordersCount(limit: null) { count } }`, {}, { token })).body.data.ordersCount.count;
    expect(await count(TOKEN)).toBe(store.orders.length);
    expect(await count(RECENT_TOKEN)).toBe(recent);
  });
});

describe("protected customer data: bulk operations", () => {
  const BULK = `{ orders { edges { node { id email customer { id firstName } shippingAddress { city address1 } } } } }`;

  async function runBulk(): Promise<{
    status: string;
    errorCode: string | null;
    lines: Array<Record<string, unknown>>;
  }> {
    const started = await h.gql(
      `mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id } userErrors { message } } }`,
      { q: BULK },
      { token: TOKEN },
    );
    const id = started.body.data.bulkOperationRunQuery.bulkOperation.id as string;
    await h.emu.bulk.idle();
    const op = (
      await h.gql(`query($id: ID!) { bulkOperation(id: $id) { status errorCode url } }`, { id }, { token: TOKEN })
    ).body.data.bulkOperation;
    const lines = op.url
      ? (await (await fetch(op.url)).text())
          .trim()
          .split("\n")
          .map((l: string) => JSON.parse(l))
      : [];
    return { status: op.status, errorCode: op.errorCode, lines };
  }

  it("level 1: unapproved fields are null in the JSONL", async () => {
    await setAccess("level1");
    const { status, lines } = await runBulk();
    expect(status).toBe("COMPLETED");
    expect(lines.length).toBe(40);
    for (const line of lines) {
      expect(line.email).toBeNull();
      expect((line.shippingAddress as { address1: unknown } | null)?.address1 ?? null).toBeNull();
      expect((line.customer as { firstName: unknown } | null)?.firstName ?? null).toBeNull();
    }
    expect(lines.some((l) => (l.shippingAddress as { city: unknown } | null)?.city)).toBe(true);
  });

  it("no approval: the operation fails with ACCESS_DENIED", async () => {
    await setAccess("none");
    const { status, errorCode } = await runBulk();
    expect(status).toBe("FAILED");
    expect(errorCode).toBe("ACCESS_DENIED");
  });
});

describe("protected customer data: webhook payloads", () => {
  const change = () => {
    const shop = h.emu.store.getShop(TEST_SHOP)!;
    const order = shop.orders.find((o) => o && o.customerSeq != null)!;
    return {
      shop: TEST_SHOP,
      topic: "orders/updated",
      resource: orderView(shop, order),
      triggeredAt: new Date(),
      eventId: "e1",
    };
  };

  it("unapproved fields are null, keys kept; approved ones stay", () => {
    const body = JSON.parse(bodyFor(change(), { level: "level2", fields: ["name"] }));
    expect(body).toMatchObject({ email: null, contact_email: null, phone: null });
    expect(body.customer.first_name).toBeTruthy();
    expect(body.customer).toMatchObject({ email: null, phone: null });
    expect(body.billing_address).toMatchObject({ address1: null, zip: null, phone: null });
    expect(body.billing_address.name).toBeTruthy();
    expect(body.billing_address.city).toBeTruthy();
    expect(body.line_items.length).toBeGreaterThan(0);
    const full = JSON.parse(bodyFor(change()));
    expect(full.email).toMatch(/@/);
  });

  it("without approval order topics are not delivered", async () => {
    const enqueued: unknown[] = [];
    const sender = { enqueue: (r: unknown) => enqueued.push(r) } as unknown as WebhookSender;
    const ctx = {
      ...h.emu.ctx,
      app: {
        ...h.emu.ctx.app,
        webhookSubscriptions: [{ topics: ["orders/updated"], complianceTopics: [], uri: "http://127.0.0.1:9/w" }],
      },
    };
    await setAccess("level1");
    expect(deliverChange(ctx, sender, change())).toBe(1);
    await setAccess("none");
    expect(deliverChange(ctx, sender, change())).toBe(0);
    expect(enqueued).toHaveLength(1);
  });

  it("without approval webhookSubscriptionCreate refuses order topics", async () => {
    await setAccess("none");
    const r = await h.gql(
      `mutation { webhookSubscriptionCreate(topic: ORDERS_CREATE, webhookSubscription: { uri: "https://example.com/w" }) { webhookSubscription { id } userErrors { message } } }`,
      {},
      { token: TOKEN },
    );
    expect(r.body.data.webhookSubscriptionCreate.userErrors[0].message).toBe(
      "This app is not approved to subscribe to webhook topics containing protected customer data.",
    );
  });
});
