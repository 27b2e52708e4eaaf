// Erasure everywhere (docs/decisions/0017-personal-data-and-retention.md): every home of the personal
// data registry (app/privacy/personal-data.server.ts) is filled with one customer's data through the
// real paths where there is one (signed deliveries over HTTP, processed by the queue), a signed
// customers/redact is delivered and processed, then every text and JSON column of every table is
// scanned for the customer's email, phone and names: none is left. The same fill with any one home
// left out of the erasure leaves the customer in that home's table: the scan can fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProvider, db } from "~/db.server";
import {
  eraseCustomerData,
  NOT_CUSTOMER_DATA,
  PERSONAL_DATA_HOMES,
  type CustomerRequest,
} from "~/privacy/personal-data.server";
import { sessionStorage } from "~/shopify.server";
import { parseWebhookBody } from "~/sync/engine/webhook-body";
import { startAppServer, type AppServer } from "../support/app-http";
import { installedOfflineSession } from "../support/shopify-requests";
import { webhookSample } from "../support/webhook-samples";
import { drainQueue, postDelivery } from "../webhooks/support/webhooks";

const CUSTOMER = {
  id: "7700001",
  email: "Zelda.Quibblesworth@Example.org",
  phone: "+1-555-0199-7731",
  firstName: "Zelda",
  lastName: "Quibblesworth",
};
/** What the scan looks for, in any case. */
const NEEDLES = [CUSTOMER.email, CUSTOMER.phone, CUSTOMER.firstName, CUSTOMER.lastName].map((text) =>
  text.toLowerCase(),
);

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
});

afterAll(async () => {
  await app?.close();
});

/** Shopify's sample order, made this customer's order on `shop`. */
function customerOrder(shop: string, orderId: string): string {
  const order = parseWebhookBody(webhookSample("orders_create", shop)) as Record<string, unknown> & {
    customer: Record<string, unknown>;
    line_items: Array<Record<string, unknown>>;
  };
  const person = { first_name: CUSTOMER.firstName, last_name: CUSTOMER.lastName, phone: CUSTOMER.phone };
  const address = { ...person, name: `${CUSTOMER.firstName} ${CUSTOMER.lastName}`, address1: "1 Hidden Lane" };
  Object.assign(order, {
    id: orderId,
    admin_graphql_api_id: `gid://shopify/Order/${orderId}`,
    email: CUSTOMER.email,
    contact_email: CUSTOMER.email,
    phone: CUSTOMER.phone,
    billing_address: address,
    shipping_address: address,
  });
  Object.assign(order.customer, { id: CUSTOMER.id, email: CUSTOMER.email, ...person, default_address: address });
  order.line_items = order.line_items.map((line) => ({
    ...line,
    properties: [{ name: "Engraving", value: `For ${CUSTOMER.firstName} ${CUSTOMER.lastName}` }],
  }));
  return JSON.stringify(order);
}

const complianceBody = (shop: string, extra: Record<string, unknown>) =>
  JSON.stringify({
    shop_id: 954889,
    shop_domain: shop,
    customer: { id: Number(CUSTOMER.id), email: CUSTOMER.email, phone: CUSTOMER.phone },
    ...extra,
  });

/** Fills every home of the registry with the customer's data, for a new store `shop`. */
async function fillEveryHome(shop: string): Promise<{ id: number; shop: string }> {
  // An ignored delivery: it arrived before the shop's store row existed.
  expect(await postDelivery(app.url, { shop, topic: "orders/updated", body: customerOrder(shop, "5500001") })).toBe(
    200,
  );
  const store = await db.shopifyStore.create({ data: { shop, name: "Erasure", currencyCode: "USD" } });
  await sessionStorage.storeSession(installedOfflineSession(shop));
  // The mirrored order and line items, and the delivery that brought them.
  expect(await postDelivery(app.url, { shop, topic: "orders/create", body: customerOrder(shop, "5500002") })).toBe(200);
  await drainQueue();
  // A data request record.
  const request = complianceBody(shop, { orders_requested: [5500002], data_request: { id: 31 } });
  expect(await postDelivery(app.url, { shop, topic: "customers/data_request", body: request })).toBe(200);
  await drainQueue();
  // Logs written to the database: errors that quoted a value, and a header that carried one.
  const delivery = await db.shopifyWebhookEvent.findFirstOrThrow({
    where: { storeId: store.id, topic: "orders/create" },
  });
  const quoted = `could not write ${CUSTOMER.email} (${CUSTOMER.firstName} ${CUSTOMER.lastName}, ${CUSTOMER.phone})`;
  await db.shopifyWebhookEvent.update({
    where: { id: delivery.id },
    data: { lastError: quoted, headers: { "x-shopify-topic": "orders/create", "x-debug-customer": CUSTOMER.email } },
  });
  await db.shopifyWebhookEventTransition.create({
    data: { eventId: delivery.id, fromStatus: "received", toStatus: "failed", error: quoted },
  });
  await db.shopifySyncJob.create({
    data: { storeId: store.id, kind: "incremental", resource: "orders", status: "failed", error: quoted },
  });
  const now = new Date();
  await db.job.create({
    data: {
      taskIdentifier: "sync/incremental",
      payload: "{}",
      shop,
      runAt: now,
      lastError: quoted,
      createdAt: now,
      updatedAt: now,
    },
  });
  if (databaseProvider() === "postgresql") {
    // graphile-worker's own job table: a job that failed with the value in its error, waiting a year.
    await db.$executeRawUnsafe(
      `SELECT graphile_worker.add_job('sync/incremental', '{}'::json, run_at := now() + interval '1 year', job_key := $1)`,
      `erasure-${shop}`,
    );
    await db.$executeRawUnsafe(
      `UPDATE graphile_worker._private_jobs SET last_error = $1 WHERE key = $2`,
      quoted,
      `erasure-${shop}`,
    );
  }
  return { id: store.id, shop };
}

interface Hit {
  schema: string;
  table: string;
  column: string;
  needle: string;
}

/** Every text and JSON column of every table (PostgreSQL: every schema but the system ones). */
async function textColumns(): Promise<Array<{ schema: string; table: string; column: string }>> {
  if (databaseProvider() === "postgresql") {
    return db.$queryRaw`
      SELECT table_schema::text AS "schema", table_name::text AS "table", column_name::text AS "column"
      FROM information_schema.columns
      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
        AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb')`;
  }
  const tables = await db.$queryRaw<Array<{ name: string }>>`
    SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`;
  const columns: Array<{ schema: string; table: string; column: string }> = [];
  for (const { name } of tables) {
    const info = await db.$queryRawUnsafe<Array<{ name: string; type: string }>>(`PRAGMA table_info("${name}")`);
    for (const column of info) {
      if (/^(TEXT|JSONB?|VARCHAR.*|)$/i.test(column.type))
        columns.push({ schema: "main", table: name, column: column.name });
    }
  }
  return columns;
}

/** Where the customer's email, phone or names still are. */
async function scan(): Promise<Hit[]> {
  const hits: Hit[] = [];
  const postgres = databaseProvider() === "postgresql";
  for (const { schema, table, column } of await textColumns()) {
    const qualified = postgres ? `"${schema}"."${table}"` : `"${table}"`;
    const text = postgres ? `CAST("${column}" AS TEXT)` : `"${column}"`;
    for (const needle of NEEDLES) {
      const [row] = await db.$queryRawUnsafe<Array<{ n: bigint | number }>>(
        `SELECT COUNT(*) AS n FROM ${qualified} WHERE LOWER(${text}) LIKE ${postgres ? "$1" : "?"}`,
        `%${needle}%`,
      );
      if (Number(row?.n ?? 0) > 0) hits.push({ schema, table, column, needle });
    }
  }
  return hits;
}

/** The homes that exist on this test run's database. */
const HOMES_HERE = PERSONAL_DATA_HOMES.filter(
  (home) =>
    !home.onlyOn || home.onlyOn === (process.env.DATABASE_URL?.startsWith("postgres") ? "postgresql" : "sqlite"),
);

const REDACT: CustomerRequest = { customer: { id: CUSTOMER.id, email: CUSTOMER.email, phone: CUSTOMER.phone } };

describe("customers/redact erases the customer everywhere", () => {
  it("classifies every text and JSON column of the app's tables: a home of personal data, or why not", async () => {
    const classified = new Map<string, string>();
    // (graphile-worker's own schema is not the app's: its homes are checked by the scans below.)
    for (const home of PERSONAL_DATA_HOMES.filter((candidate) => !candidate.table.includes(".")))
      for (const column of home.columns) classified.set(`${home.table}.${column}`, "home");
    for (const [table, { columns }] of Object.entries(NOT_CUSTOMER_DATA)) {
      for (const column of columns) classified.set(`${table}.${column}`, "not customer data");
    }
    const appColumns = (await textColumns()).filter(({ schema }) => schema === "public" || schema === "main");
    const unclassified = appColumns
      .map(({ table, column }) => `${table}.${column}`)
      .filter((name) => !classified.has(name));
    expect(unclassified).toEqual([]);
    // And the registry names only columns that exist.
    const existing = new Set(appColumns.map(({ table, column }) => `${table}.${column}`));
    expect([...classified.keys()].filter((name) => !existing.has(name))).toEqual([]);
  });

  it("a signed customers/redact over HTTP leaves no copy of the email, phone or names in any column of any table", async () => {
    const shop = "erasure.myshopify.com";
    await fillEveryHome(shop);
    const filled = await scan();
    // Every home (of this database) was filled.
    const filledTables = filled.map((hit) => `${hit.schema}.${hit.table}`).join(" ");
    for (const home of HOMES_HERE) expect(filledTables, home.table).toContain(home.table);

    const redact = complianceBody(shop, { orders_to_redact: [5500002] });
    expect(await postDelivery(app.url, { shop, topic: "customers/redact", body: redact })).toBe(200);
    await drainQueue();
    expect(await scan()).toEqual([]);
    // The books stay: the order and its lines are still there, without the person.
    const order = await db.shopifyOrder.findFirstOrThrow({ where: { shopifyId: "gid://shopify/Order/5500002" } });
    expect(order.redactedAt).not.toBeNull();
    expect(order.totalPrice).toBeTruthy();
    expect(await db.shopifyOrderLineItem.count({ where: { orderId: order.shopifyId } })).toBeGreaterThan(0);
  }, 60_000);

  it.each(HOMES_HERE.map((home) => [home.table, home] as const))(
    "with %s left out of the erasure, the scan finds the customer there",
    async (table, omitted) => {
      const store = await fillEveryHome(`left-out-${table.replace(/[^a-z0-9]+/g, "-")}.myshopify.com`);
      const homes = PERSONAL_DATA_HOMES.filter((home) => home !== omitted);
      await eraseCustomerData(store, REDACT, new Date(), homes);
      const hits = await scan();
      expect(hits.map((hit) => `${hit.schema}.${hit.table}`).join(" ")).toContain(table);
    },
    60_000,
  );
});
