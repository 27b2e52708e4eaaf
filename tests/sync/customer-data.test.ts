// Protected customer data against the emulator (docs/decisions/0023): the app's configured
// customer-data level shapes what every sync path asks for and keeps, and a shop whose approval is
// one level lower still syncs, with null for what Shopify redacted, the redacted fields recorded for
// the dashboard. A whole object denied fails the sync with Shopify's message.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { resetShopApiStates } from "~/admin-api/client.server";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import {
  bindCustomerData,
  customerDataPolicy,
  FULL_CUSTOMER_DATA,
  PROTECTED_FIELDS,
  type CustomerDataPolicy,
  type ProtectedField,
} from "~/sync/engine/customer-data";
import { orderFromGraphqlFor } from "~/sync/engine/from-graphql";
import { fromWebhook } from "~/sync/engine/from-webhook";
import { ORDERS_PAGE_QUERY } from "~/admin-api/operations";
import { parseWebhookBody } from "~/sync/engine/webhook-body";
import { runFullSyncStep } from "~/sync/full-sync/run.server";
import { runIncrementalSync, type SyncStore } from "~/sync/incremental/incremental.server";
import { createSyncJob, failSyncJob } from "~/sync/jobs.server";
import { runReconciliation } from "~/sync/reconcile/reconcile.server";
import { customerDataNotice } from "~/view-models/customer-data.server";
import { writeWebhookRows as handleSyncTopicBatch } from "~/sync/writer/webhook-batch.server";
import { bodyFor, orderView, type CustomerDataAccess } from "../../tools/shopify-emulator/src/testing";
import { clientOptions, installShop, startSyncHarness, type SyncHarness } from "./support";

let h: SyncHarness;
beforeAll(async () => {
  h = await startSyncHarness();
});
afterAll(async () => {
  await h?.close();
});
beforeEach(() => resetShopApiStates());

const now = () => new Date(h.clock.now());
const client = (store: SyncStore) => adminClientFor(store.shop, clientOptions(h));

async function setApproval(store: SyncStore, access: CustomerDataAccess) {
  await h.control("PUT", `/shops/${store.shop}/customer-data-access`, access);
}

/** A full sync of the store's orders through the real bulk-operation steps, to completion. */
async function fullSyncOrders(store: SyncStore, customerData: CustomerDataPolicy) {
  const job = await createSyncJob({ storeId: store.id, kind: "full", resource: "orders", trigger: "manual" });
  for (let step = 0; step < 50; step++) {
    const outcome = await runFullSyncStep({ syncJobId: job.id }, { client: client(store), customerData, now });
    if (outcome === "completed") return db.shopifySyncJob.findUniqueOrThrow({ where: { id: job.id } });
    await h.emulator.bulk.idle();
  }
  throw new Error("the full sync did not complete");
}

/** Which row columns (and raw keys) hold each protected field. */
const COLUMNS: Record<ProtectedField, Array<"email" | "phone" | "customerFirstName" | "customerLastName">> = {
  email: ["email"],
  phone: ["phone"],
  name: ["customerFirstName", "customerLastName"],
  address: [],
};
const ADDRESS_KEYS: Record<ProtectedField, string[]> = {
  email: [],
  phone: ["phone"],
  name: ["firstName", "lastName", "name"],
  address: ["address1", "address2", "zip"],
};

/** Shopify's orders as the app may read them (the oracle), mapped by the engine. */
async function shopifyOrders(store: SyncStore, customerData: CustomerDataPolicy) {
  const page = await client(store).query(bindCustomerData(ORDERS_PAGE_QUERY, customerData), z.any(), {
    first: 250,
  });
  return (page as { orders: { nodes: unknown[] } }).orders.nodes.map(orderFromGraphqlFor(customerData));
}

const withoutRaw = <T extends object>(row: T) => {
  const {
    raw: _raw,
    syncedAt: _s,
    syncedBy: _b,
    ...rest
  } = row as T & { raw?: unknown; syncedAt?: unknown; syncedBy?: unknown };
  return rest;
};

/**
 * The store's order rows equal Shopify's orders as `customerData` reads them, hold nothing of a field
 * it does not allow (columns, addresses, raw), and hold the allowed ones where Shopify gave them.
 */
async function expectOrdersMirror(
  store: SyncStore,
  customerData: CustomerDataPolicy,
  given: readonly ProtectedField[],
) {
  const expected = await shopifyOrders(store, customerData);
  const rows = await db.shopifyOrder.findMany({ where: { storeId: store.id } });
  expect(rows.length).toBe(expected.length);
  for (const { order } of expected) {
    const row = rows.find((r) => r.shopifyId === order.shopifyId)!;
    expect(withoutRaw(row)).toMatchObject(withoutRaw(order));
  }
  for (const field of PROTECTED_FIELDS) {
    const kept = given.includes(field);
    for (const column of COLUMNS[field]) {
      expect(
        rows.some((r) => r[column] !== null),
        `${column} kept`,
      ).toBe(kept);
    }
    // address2 is empty in the seed: it can only be checked for being absent.
    for (const key of ADDRESS_KEYS[field].filter((k) => !kept || k !== "address2")) {
      const values = rows
        .flatMap((r) => [r.billingAddress, r.shippingAddress])
        .map((a) => (a as Record<string, unknown> | null)?.[key] ?? null);
      expect(
        values.some((v) => v !== null),
        `address ${key} kept`,
      ).toBe(kept);
    }
  }
  // raw holds no key of a field the app may not have.
  for (const row of rows) {
    const raw = typeof row.raw === "string" ? JSON.parse(row.raw) : (row.raw as Record<string, unknown>);
    if (!customerData.fields.includes("email")) expect(raw).not.toHaveProperty("email");
    if (!customerData.fields.includes("phone")) expect(raw).not.toHaveProperty("phone");
    if (!customerData.fields.includes("name")) expect(raw.customer ?? {}).not.toHaveProperty("firstName");
    if (!customerData.fields.includes("address") && raw.billingAddress) {
      expect(raw.billingAddress).not.toHaveProperty("address1");
    }
  }
  return rows;
}

/** An order's orders/updated delivery, as the emulator sends it under `approval`, processed by the app. */
async function processOrderWebhook(store: SyncStore, customerData: CustomerDataPolicy, approval: CustomerDataAccess) {
  const shop = h.emulator.store.getShop(store.shop)!;
  const record = shop.orders.find((o) => o && o.customerSeq != null)!;
  const body = bodyFor({ shop: store.shop, topic: "orders/updated", resource: orderView(shop, record) }, approval);
  const rows = fromWebhook("orders/updated", parseWebhookBody(body), { triggeredAt: now() }, customerData);
  if (rows.kind !== "order") throw new Error("not an order");
  // Older than the stored row: the row is deleted first so the delivery is what is stored.
  await db.shopifyOrder.delete({
    where: { storeId_shopifyId: { storeId: store.id, shopifyId: rows.order.order.shopifyId } },
  });
  await db.$transaction((tx) => handleSyncTopicBatch(tx, store.id, [rows]));
  return rows.order.order.shopifyId;
}

async function redactedFields(store: SyncStore) {
  return (await db.shopifyRedactedField.findMany({ where: { storeId: store.id } })).map((r) => r.field).sort();
}

interface Case {
  name: string;
  app: CustomerDataPolicy;
  /** The shop's approval one level below what the app asks. */
  below: CustomerDataAccess;
  /** Protected fields Shopify still gives under `below`. */
  belowGives: ProtectedField[];
  redactedBelow: string[];
}

const ALL_REDACTED = [
  "Customer.firstName",
  "Customer.lastName",
  "MailingAddress.address1",
  "MailingAddress.address2",
  "MailingAddress.firstName",
  "MailingAddress.lastName",
  "MailingAddress.name",
  "MailingAddress.phone",
  "MailingAddress.zip",
  "Order.email",
  "Order.phone",
];

const CASES: Case[] = [
  {
    name: "level2 (every field)",
    app: FULL_CUSTOMER_DATA,
    below: { level: "level1", fields: [] },
    belowGives: [],
    redactedBelow: ALL_REDACTED,
  },
  {
    name: "level2 (email and name)",
    app: customerDataPolicy("level2", ["email", "name"]),
    below: { level: "level1", fields: [] },
    belowGives: [],
    redactedBelow: ALL_REDACTED.filter((f) => /email|Name|\.name/.test(f)),
  },
  {
    name: "level1",
    app: customerDataPolicy("level1", []),
    below: { level: "none", fields: [] },
    belowGives: [],
    redactedBelow: [],
  },
];

let shops = 0;
async function freshStore(approval: CustomerDataAccess) {
  const store = await installShop(h, `pcd-${++shops}.myshopify.com`, { products: 4, orders: 12 });
  await setApproval(store, approval);
  return store;
}

describe.each(CASES)("customer-data level $name", ({ app, below, belowGives, redactedBelow }) => {
  const approval: CustomerDataAccess = { level: app.level, fields: [...app.fields] };

  it("with the shop's approval equal to it: full, incremental, reconciliation and webhooks mirror exactly the allowed fields", async () => {
    const store = await freshStore(approval);
    const job = await fullSyncOrders(store, app);
    expect(job.status).toBe("succeeded");
    await expectOrdersMirror(store, app, app.fields);

    // Incremental: an order paid an hour later arrives with the same fields.
    h.clock.advance(3_600_000);
    const first = await db.shopifyOrder.findFirstOrThrow({ where: { storeId: store.id, cancelledAt: null } });
    await h.control("POST", `/shops/${store.shop}/orders/${encodeURIComponent(first.shopifyId)}/cancel`, {});
    const incremental = await runIncrementalSync({
      store,
      resource: "orders",
      client: client(store),
      now,
      customerData: app,
    });
    expect(incremental.read).toBeGreaterThan(0);
    expect(incremental.redactedFields).toEqual([]);
    await expectOrdersMirror(store, app, app.fields);

    const reconciled = await runReconciliation({
      store,
      resource: "orders",
      client: client(store),
      now,
      customerData: app,
    });
    expect(reconciled.removed).toBe(0);
    await expectOrdersMirror(store, app, app.fields);

    // A webhook delivery gives the same row as the sync (raw aside).
    const before = await db.shopifyOrder.findMany({ where: { storeId: store.id } });
    const id = await processOrderWebhook(store, app, approval);
    const after = await db.shopifyOrder.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId: store.id, shopifyId: id } },
    });
    expect(withoutRaw(after)).toMatchObject(withoutRaw(before.find((r) => r.shopifyId === id)!));
    expect(await redactedFields(store)).toEqual([]);
  });

  it("with the shop's approval one level below: the syncs complete with null for what Shopify redacts, or fail with Shopify's message for a denied object", async () => {
    const store = await freshStore(below);
    if (below.level === "none") {
      // The Order object itself is denied: the sync fails, naming it as Shopify does, and the
      // dashboard says why orders cannot be synced (the task records the failure on the job row).
      const failed = await fullSyncOrders(store, app).catch((error: unknown) => error);
      expect(String(failed)).toMatch(/This app is not approved to access the Order object/);
      const job = await db.shopifySyncJob.findFirstOrThrow({ where: { storeId: store.id, resource: "orders" } });
      await failSyncJob(job.id, failed);
      const row = await db.shopifyStore.findUniqueOrThrow({ where: { id: store.id } });
      expect(await customerDataNotice(row)).toMatchObject({
        kind: "ordersDenied",
        title: "Orders cannot be synced yet",
      });
      await expect(
        runIncrementalSync({ store, resource: "orders", client: client(store), now, customerData: app }),
      ).rejects.toThrow(/This app is not approved to access the Order object/);
      return;
    }
    const job = await fullSyncOrders(store, app);
    expect(job.status).toBe("succeeded");
    expect(await redactedFields(store)).toEqual(redactedBelow);
    await expectOrdersMirror(store, app, belowGives);
    const notice = await customerDataNotice(await db.shopifyStore.findUniqueOrThrow({ where: { id: store.id } }));
    expect(notice).toMatchObject({ kind: "redacted", title: "Shopify is withholding some customer details" });

    await db.shopifyRedactedField.deleteMany({ where: { storeId: store.id } });
    h.clock.advance(3_600_000);
    const changed = await db.shopifyOrder.findFirstOrThrow({ where: { storeId: store.id, cancelledAt: null } });
    await h.control("POST", `/shops/${store.shop}/orders/${encodeURIComponent(changed.shopifyId)}/cancel`, {});
    const incremental = await runIncrementalSync({
      store,
      resource: "orders",
      client: client(store),
      now,
      customerData: app,
    });
    expect(incremental.redactedFields).toEqual(redactedBelow);
    expect(await redactedFields(store)).toEqual(redactedBelow);
    await runReconciliation({ store, resource: "orders", client: client(store), now, customerData: app });
    await expectOrdersMirror(store, app, belowGives);

    const id = await processOrderWebhook(store, app, below);
    const row = await db.shopifyOrder.findUniqueOrThrow({
      where: { storeId_shopifyId: { storeId: store.id, shopifyId: id } },
    });
    expect(row).toMatchObject({ email: null, phone: null, customerFirstName: null, customerLastName: null });
    expect(row.customerId).not.toBeNull();

    // Approval granted again: the next pass that reads orders clears the record (and the notice).
    await setApproval(store, approval);
    await runIncrementalSync({ store, resource: "orders", client: client(store), now, customerData: app });
    h.clock.advance(1000);
    await fullSyncOrders(store, app);
    expect(await redactedFields(store)).toEqual([]);
    expect(await customerDataNotice(await db.shopifyStore.findUniqueOrThrow({ where: { id: store.id } }))).toBeNull();
  });
});

describe("the current app configuration against a shop with level 1 approval", () => {
  // Failed before the client took redactions as data: "Admin API returned errors: This app is not
  // approved to access the Order object. …" (the whole call failed on the first errors[] entry).
  it("incremental order sync completes and stores null for the redacted fields", async () => {
    const store = await installShop(h, "pcd-bug.myshopify.com", { products: 3, orders: 8 });
    await h.control("PUT", `/shops/${store.shop}/customer-data-access`, { level: "level1" });
    await runIncrementalSync({ store, resource: "orders", client: client(store), now });
    const orders = await db.shopifyOrder.findMany({ where: { storeId: store.id } });
    expect(orders).toHaveLength(8);
    for (const order of orders) {
      expect(order.email).toBeNull();
      expect(order.customerFirstName).toBeNull();
    }
  });
});

describe("customer-data level none", () => {
  it("reads no orders and stores none from webhooks' mapping paths", async () => {
    const store = await freshStore({ level: "none", fields: [] });
    const none = customerDataPolicy("none", []);
    const job = await fullSyncOrders(store, none);
    expect(job.status).toBe("succeeded");
    const incremental = await runIncrementalSync({
      store,
      resource: "orders",
      client: client(store),
      now,
      customerData: none,
    });
    expect(incremental.read).toBe(0);
    await runReconciliation({ store, resource: "orders", client: client(store), now, customerData: none });
    expect(await db.shopifyOrder.count({ where: { storeId: store.id } })).toBe(0);
  });
});
