// Where a customer's personal data can live in Shop Sync, and how each place is erased
// (customers/redact) and read back (customers/data_request exports): one registry, so "every place" is
// checkable. tests/privacy/erasure-scan.test.ts fills every home, redacts, then scans every text and
// JSON column of every table for the customer's email, phone and names; it also fails when a column
// of the schema is in neither PERSONAL_DATA_HOMES nor NOT_CUSTOMER_DATA, so a column added later has
// to be classified here (docs/decisions/0017-personal-data-and-retention.md).
//
// Raw SQL is built whole with Prisma.sql and passed to $queryRaw(sql): the PostgreSQL client has a
// Prisma runtime of its own (db.server.ts), whose tagged template would not recognise nested fragments.
//
// Personal data means what Shopify lists as protected customer data — name, email, phone, address —
// plus what else identifies or reaches a person in an order (app/sync/engine/redact.ts). Customer and
// order ids stay: they are pseudonymous, and they are how the next request finds the records.
import { Prisma } from "@prisma/client";
import { databaseProvider, db, dbNull } from "~/db.server";
import { gid } from "~/sync/engine/ids";
import { redactLineItem, redactOrder, redactRaw } from "~/sync/engine/redact";
import { parseWebhookBody } from "~/sync/engine/webhook-body";

/** Whom a compliance request is about, as its (signed) body says. */
export interface CustomerRequest {
  customer: { id?: string | null; email?: string | null; phone?: string | null };
  /** Numeric order ids the request names (orders_to_redact, orders_requested). */
  orders?: string[];
}

/** The customer as found in one store: the orders we hold of theirs, and every text that identifies them. */
export interface ErasureTarget {
  storeId: number;
  shop: string;
  customerId: string | null;
  orderIds: string[];
  /** Lower-cased emails, phones, names and street lines, from the request and from the orders we hold. */
  needles: string[];
  /**
   * The needles that identify this person alone — emails and phones — by which deliveries and data
   * requests are matched (with the person's order and customer ids): a name or a street line is shared
   * by other people, whose records must not be taken for theirs (nor exported with theirs). Error texts
   * are scrubbed of every needle.
   */
  strongNeedles: string[];
}

export interface PersonalDataHome {
  table: string;
  /** A home that exists on one database only (graphile-worker's tables on PostgreSQL). */
  onlyOn?: "postgresql" | "sqlite";
  /** The text and JSON columns that can hold a customer's personal data. */
  columns: readonly string[];
  holds: string;
  /** Erases the customer's personal data here; returns how many rows changed. */
  erase(target: ErasureTarget, at: Date): Promise<number>;
  /** What this home holds about the customer, for the data request export. */
  collect?(target: ErasureTarget): Promise<unknown[]>;
}

const lower = (value: string) => value.trim().toLowerCase();

/** Matches a text column case-insensitively on both databases (LIKE ignores ASCII case on SQLite). */
function containsAny(column: string, needles: readonly string[]): Prisma.Sql {
  if (needles.length === 0) return Prisma.sql`FALSE`;
  const like = databaseProvider() === "postgresql" ? Prisma.raw("ILIKE") : Prisma.raw("LIKE");
  const text =
    databaseProvider() === "postgresql" ? Prisma.raw(`CAST("${column}" AS TEXT)`) : Prisma.raw(`"${column}"`);
  return Prisma.join(
    needles.map((needle) => Prisma.sql`${text} ${like} ${`%${needle}%`}`),
    " OR ",
  );
}

/** `text` with every needle replaced by [redacted], case-insensitively. */
export function scrubText(text: string, needles: readonly string[]): string {
  let out = text;
  for (const needle of needles) {
    // Not inside a longer word or address: "pat@x.org" is not scrubbed out of "jim.pat@x.org".
    const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    out = out.replace(new RegExp(`(?<![\\w.+-])${escaped}(?![\\w-]|\\.\\w)`, "gi"), "[redacted]");
  }
  return out;
}

const jsonText = (value: unknown) =>
  JSON.stringify(value, (_key, member: unknown) => (typeof member === "bigint" ? String(member) : member));

/**
 * Names, phones and street lines inside an order's JSON (addresses, the customer object). A first or
 * last name alone goes to `partial`.
 */
function identifiersIn(value: unknown, into: Set<string>, partial: Set<string>): void {
  if (Array.isArray(value)) {
    for (const member of value) identifiersIn(member, into, partial);
    return;
  }
  if (value === null || typeof value !== "object") return;
  for (const [key, member] of Object.entries(value)) {
    if (typeof member === "string" && /^(first_name|last_name|firstName|lastName)$/.test(key)) {
      partial.add(lower(member));
    } else if (
      typeof member === "string" &&
      /^(email|phone|name|address1|address2|displayName)$/.test(key) &&
      !/^#/.test(member)
    ) {
      into.add(lower(member));
    } else if (/address|customer/i.test(key) || Array.isArray(member)) identifiersIn(member, into, partial);
  }
}

/** Finds the customer's orders in the store (by the ids named, by customer id, by email, any case). */
export async function resolveTarget(
  store: { id: number; shop: string },
  request: CustomerRequest,
): Promise<ErasureTarget> {
  const customerId = request.customer.id ? gid("Customer", request.customer.id) : null;
  const email = request.customer.email ? lower(request.customer.email) : null;
  const named = (request.orders ?? []).map((orderId) => gid("Order", orderId));
  const matches = [
    ...(named.length ? [Prisma.sql`"shopifyId" IN (${Prisma.join(named)})`] : []),
    ...(customerId ? [Prisma.sql`"customerId" = ${customerId}`] : []),
    ...(email ? [Prisma.sql`LOWER("email") = ${email}`] : []),
  ];
  const orders = matches.length
    ? await db.$queryRaw<Array<{ shopifyId: string }>>(Prisma.sql`
        SELECT "shopifyId" FROM "shopify_orders" WHERE "storeId" = ${store.id} AND (${Prisma.join(matches, " OR ")})`)
    : [];
  const orderIds = orders.map((order) => order.shopifyId);
  const found = await db.shopifyOrder.findMany({
    where: { storeId: store.id, shopifyId: { in: orderIds } },
    select: {
      email: true,
      phone: true,
      customerFirstName: true,
      customerLastName: true,
      billingAddress: true,
      shippingAddress: true,
      raw: true,
    },
  });
  const needles = new Set<string>();
  const partialNames = new Set<string>();
  for (const value of [request.customer.email, request.customer.phone]) if (value) needles.add(lower(value));
  for (const order of found) {
    for (const value of [order.email, order.phone]) if (value) needles.add(lower(value));
    for (const value of [order.customerFirstName, order.customerLastName]) if (value) partialNames.add(lower(value));
    if (order.customerFirstName && order.customerLastName) {
      needles.add(lower(`${order.customerFirstName} ${order.customerLastName}`));
    }
    identifiersIn(order.billingAddress, needles, partialNames);
    identifiersIn(order.shippingAddress, needles, partialNames);
    const raw = typeof order.raw === "string" ? (JSON.parse(order.raw) as unknown) : order.raw;
    if (raw && typeof raw === "object") {
      const body = raw as Record<string, unknown>;
      identifiersIn({ customer: body.customer, billing_address: body.billing_address }, needles, partialNames);
      identifiersIn(
        { shipping_address: body.shipping_address, email: body.email, phone: body.phone },
        needles,
        partialNames,
      );
    }
  }
  // Short fragments ("Jo", "12") would scrub unrelated text.
  const usable = (values: Iterable<string>) => [...values].filter((needle) => needle.length >= 3);
  const contacts = new Set<string>();
  for (const value of [request.customer.email, request.customer.phone]) if (value) contacts.add(lower(value));
  for (const order of found) for (const value of [order.email, order.phone]) if (value) contacts.add(lower(value));
  const strongNeedles = usable(contacts);
  return {
    storeId: store.id,
    shop: store.shop,
    customerId,
    orderIds,
    needles: usable(new Set([...needles, ...partialNames])),
    strongNeedles,
  };
}

// ---- the homes ---------------------------------------------------------------------------------

const orders: PersonalDataHome = {
  table: "shopify_orders",
  columns: ["email", "phone", "customerFirstName", "customerLastName", "billingAddress", "shippingAddress", "raw"],
  holds: "the mirrored orders: the customer's contact, names, addresses, and Shopify's order JSON",
  async erase(target, at) {
    const rows = await db.shopifyOrder.findMany({
      where: { storeId: target.storeId, shopifyId: { in: target.orderIds } },
      select: { shopifyId: true, raw: true },
    });
    await db.$transaction(
      rows.map((order) => {
        const redaction = redactOrder(order, at);
        return db.shopifyOrder.update({
          where: { storeId_shopifyId: { storeId: target.storeId, shopifyId: order.shopifyId } },
          // Prisma writes SQL NULL into a Json column only when told so explicitly (dbNull()).
          data: { ...redaction, billingAddress: dbNull(), shippingAddress: dbNull(), raw: redaction.raw ?? dbNull() },
        });
      }),
    );
    return rows.length;
  },
  async collect(target) {
    return db.shopifyOrder.findMany({
      where: { storeId: target.storeId, shopifyId: { in: target.orderIds } },
      include: { lineItems: true },
      orderBy: { shopifyCreatedAt: "asc" },
    });
  },
};

const lineItems: PersonalDataHome = {
  table: "shopify_order_line_items",
  columns: ["raw"],
  holds: "line items of those orders: properties a customer typed, copied addresses",
  async erase(target) {
    const rows = await db.shopifyOrderLineItem.findMany({
      where: { storeId: target.storeId, orderId: { in: target.orderIds } },
      select: { shopifyId: true, raw: true },
    });
    await db.$transaction(
      rows.map((line) =>
        db.shopifyOrderLineItem.update({
          where: { storeId_shopifyId: { storeId: target.storeId, shopifyId: line.shopifyId } },
          data: { raw: redactLineItem(line).raw ?? dbNull() },
        }),
      ),
    );
    return rows.length;
  },
};

/** The store's deliveries, and those kept for its shop without a store (ignored). */
const deliveriesOf = (target: ErasureTarget) =>
  Prisma.sql`("storeId" = ${target.storeId} OR ("storeId" IS NULL AND "shop" = ${target.shop}))`;

/**
 * Candidate deliveries: an order of theirs, or a body, header or error whose text contains one of
 * their contacts or (compliance deliveries) their customer id. Text matching finds superstrings too
 * ("jim.pat@…" contains "pat@…", customer 1911670 contains 191167), so whether a body is about the
 * customer is then decided exactly (isAboutCustomer).
 */
async function candidateDeliveries(target: ErasureTarget) {
  const numericCustomerId = target.customerId?.split("/").pop() ?? null;
  const about = [
    ...(target.orderIds.length ? [Prisma.sql`"resourceId" IN (${Prisma.join(target.orderIds)})`] : []),
    containsAny("rawBody", target.strongNeedles),
    containsAny("headers", target.strongNeedles),
    containsAny("lastError", target.strongNeedles),
    ...(numericCustomerId
      ? [Prisma.sql`("topic" LIKE 'customers/%' AND "rawBody" LIKE ${`%${numericCustomerId}%`})`]
      : []),
  ];
  const ids = await db.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    SELECT "id" FROM "shopify_webhook_events" WHERE ${deliveriesOf(target)} AND (${Prisma.join(about, " OR ")})`);
  return db.shopifyWebhookEvent.findMany({
    where: { id: { in: ids.map((row) => row.id) } },
    orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
  });
}

/**
 * Whether a delivery's body is about the customer: one of their orders, a compliance request naming
 * their customer id, or a body with a string value equal (any case) to one of their emails or phones.
 */
function isAboutCustomer(event: { resourceId: string | null; topic: string; rawBody: string }, target: ErasureTarget) {
  if (event.resourceId && target.orderIds.includes(event.resourceId)) return true;
  let body: unknown;
  try {
    body = parseWebhookBody(event.rawBody);
  } catch {
    return false;
  }
  const numericCustomerId = target.customerId?.split("/").pop() ?? null;
  if (event.topic.startsWith("customers/") && numericCustomerId && body && typeof body === "object") {
    const customer = (body as { customer?: { id?: unknown } }).customer;
    if (customer && String(customer.id) === numericCustomerId) return true;
  }
  const contacts = new Set(target.strongNeedles);
  const hasContact = (value: unknown): boolean => {
    if (typeof value === "string") return contacts.has(value.trim().toLowerCase());
    if (Array.isArray(value)) return value.some(hasContact);
    return value !== null && typeof value === "object" && Object.values(value).some(hasContact);
  };
  return hasContact(body);
}

/** A pending or dead delivery keeps a body it can still be applied (or replayed) from, without the person. */
function redactedBody(rawBody: string): string {
  try {
    return jsonText(redactRaw(parseWebhookBody(rawBody)));
  } catch {
    return "";
  }
}

const webhookDeliveries: PersonalDataHome = {
  table: "shopify_webhook_events",
  columns: ["rawBody", "headers", "lastError"],
  holds:
    "raw bodies of deliveries (orders/*, the compliance deliveries themselves, ignored ones for the shop), their stored headers and errors",
  async erase(target, at) {
    const candidates = await candidateDeliveries(target);
    await db.$transaction(
      candidates.map((event) => {
        const about = isAboutCustomer(event, target);
        // Applied or ignored: nothing needs the body any more, so it goes; otherwise it is redacted.
        // A body about someone else (a text match only) is left as it is.
        const erased = about && (event.status === "processed" || event.status === "ignored");
        return db.shopifyWebhookEvent.update({
          where: { id: event.id },
          data: {
            ...(about ? { rawBody: erased ? "" : redactedBody(event.rawBody) } : {}),
            ...(erased ? { bodyErasedAt: at } : {}),
            // Rebuilt from the row's own columns: nothing unsigned and free-form survives.
            headers: {
              "x-shopify-topic": event.topic,
              "x-shopify-shop-domain": event.shop,
              "x-shopify-webhook-id": event.webhookId,
              ...(event.apiVersion ? { "x-shopify-api-version": event.apiVersion } : {}),
            },
            lastError: event.lastError === null ? null : scrubText(event.lastError, target.needles),
          },
        });
      }),
    );
    return candidates.length;
  },
  async collect(target) {
    return (await candidateDeliveries(target))
      .filter((event) => isAboutCustomer(event, target))
      .map((event) => ({
        id: event.id,
        topic: event.topic,
        webhookId: event.webhookId,
        receivedAt: event.receivedAt,
        status: event.status,
        body: event.rawBody ? safeJson(event.rawBody) : null,
      }));
  },
};

function safeJson(text: string): unknown {
  try {
    return parseWebhookBody(text);
  } catch {
    return text;
  }
}

const transitions: PersonalDataHome = {
  table: "shopify_webhook_event_transitions",
  columns: ["error"],
  holds: "the audit trail's error texts (a failure may quote a value)",
  async erase(target) {
    const rows = await db.$queryRaw<Array<{ id: number; error: string }>>(Prisma.sql`
      SELECT t."id", t."error" FROM "shopify_webhook_event_transitions" t
      JOIN "shopify_webhook_events" e ON e."id" = t."eventId"
      WHERE (e."storeId" = ${target.storeId} OR (e."storeId" IS NULL AND e."shop" = ${target.shop}))
        AND (${containsAny("error", target.needles)})`);
    await db.$transaction(
      rows.map((row) =>
        db.shopifyWebhookEventTransition.update({
          where: { id: row.id },
          data: { error: scrubText(row.error, target.needles) },
        }),
      ),
    );
    return rows.length;
  },
};

/** customers/data_request records about the customer (by customer id or email, any case). */
async function customerDataRequests(target: ErasureTarget) {
  const matches = [
    ...(target.customerId ? [Prisma.sql`"customerId" = ${target.customerId}`] : []),
    ...(target.strongNeedles.length ? [Prisma.sql`LOWER("email") IN (${Prisma.join(target.strongNeedles)})`] : []),
  ];
  if (matches.length === 0) return [];
  return db.$queryRaw<Array<{ id: string }>>(Prisma.sql`
    SELECT "id" FROM "shopify_customer_data_requests"
    WHERE "storeId" = ${target.storeId} AND (${Prisma.join(matches, " OR ")})`);
}

const dataRequests: PersonalDataHome = {
  table: "shopify_customer_data_requests",
  columns: ["email", "record"],
  holds: "customers/data_request records: the export of what we held when it was asked for",
  async erase(target, at) {
    const ids = (await customerDataRequests(target)).map((row) => row.id);
    await db.shopifyCustomerDataRequest.updateMany({
      where: { id: { in: ids } },
      data: { email: null, record: { redacted: true, redactedAt: at.toISOString() }, redactedAt: at },
    });
    return ids.length;
  },
  async collect(target) {
    const ids = (await customerDataRequests(target)).map((row) => row.id);
    return db.shopifyCustomerDataRequest.findMany({ where: { id: { in: ids } }, orderBy: { requestedAt: "asc" } });
  },
};

const syncJobs: PersonalDataHome = {
  table: "shopify_sync_jobs",
  columns: ["error"],
  holds: "sync jobs' error texts (a failed write may quote a value)",
  async erase(target) {
    const rows = await db.$queryRaw<Array<{ id: string; error: string }>>(Prisma.sql`
      SELECT "id", "error" FROM "shopify_sync_jobs"
      WHERE "storeId" = ${target.storeId} AND (${containsAny("error", target.needles)})`);
    await db.$transaction(
      rows.map((row) =>
        db.shopifySyncJob.update({ where: { id: row.id }, data: { error: scrubText(row.error, target.needles) } }),
      ),
    );
    return rows.length;
  },
};

const queueJobs: PersonalDataHome = {
  table: "job_queue",
  columns: ["lastError"],
  holds: "the SQLite job queue's last errors for the shop's jobs (logs written to the database)",
  async erase(target) {
    const rows = await db.$queryRaw<Array<{ id: number; lastError: string }>>(Prisma.sql`
      SELECT "id", "lastError" FROM "job_queue"
      WHERE "shop" = ${target.shop} AND (${containsAny("lastError", target.needles)})`);
    await db.$transaction(
      rows.map((row) =>
        db.job.update({ where: { id: row.id }, data: { lastError: scrubText(row.lastError, target.needles) } }),
      ),
    );
    return rows.length;
  },
};

const GRAPHILE_JOBS = "graphile_worker._private_jobs";

const postgresQueueJobs: PersonalDataHome = {
  table: GRAPHILE_JOBS,
  onlyOn: "postgresql",
  columns: ["last_error"],
  holds: "graphile-worker's last errors of jobs (the queue on PostgreSQL, ADR 0009)",
  async erase(target) {
    if (databaseProvider() !== "postgresql") return 0;
    // The schema exists once a worker has started (graphile-worker migrates it then).
    const [exists] = await db.$queryRaw<Array<{ present: boolean }>>(
      Prisma.sql`SELECT to_regclass(${GRAPHILE_JOBS}) IS NOT NULL AS present`,
    );
    if (!exists?.present || target.needles.length === 0) return 0;
    const rows = await db.$queryRaw<Array<{ id: bigint; last_error: string }>>(Prisma.sql`
      SELECT id, last_error FROM graphile_worker._private_jobs WHERE ${containsAny("last_error", target.needles)}`);
    for (const row of rows) {
      await db.$executeRaw(
        Prisma.sql`UPDATE graphile_worker._private_jobs SET last_error = ${scrubText(row.last_error, target.needles)} WHERE id = ${row.id}`,
      );
    }
    return rows.length;
  },
};

/** Every place a customer's personal data can live. */
export const PERSONAL_DATA_HOMES: readonly PersonalDataHome[] = [
  orders,
  lineItems,
  webhookDeliveries,
  transitions,
  dataRequests,
  syncJobs,
  queueJobs,
  postgresQueueJobs,
];

/**
 * Every other text or JSON column, and why it holds no customer's personal data. A column in neither
 * list fails tests/privacy/erasure-scan.test.ts.
 */
export const NOT_CUSTOMER_DATA: Readonly<Record<string, { columns: readonly string[]; why: string }>> = {
  Session: {
    columns: [
      "id",
      "shop",
      "state",
      "scope",
      "accessToken",
      "firstName",
      "lastName",
      "email",
      "locale",
      "refreshToken",
    ],
    why: "the shop's staff sessions and the offline token: no customer; deleted with the shop",
  },
  shopify_stores: {
    columns: [
      "shop",
      "shopifyId",
      "name",
      "email",
      "planName",
      "currencyCode",
      "ianaTimezone",
      "primaryDomain",
      "grantedScopes",
      "status",
    ],
    why: "the merchant's store: no customer",
  },
  shopify_products: {
    columns: ["shopifyId", "title", "handle", "vendor", "productType", "status", "tags", "raw", "syncedBy"],
    why: "catalogue",
  },
  shopify_product_variants: {
    columns: [
      "shopifyId",
      "productId",
      "title",
      "sku",
      "barcode",
      "price",
      "compareAtPrice",
      "inventoryItemId",
      "inventoryPolicy",
      "selectedOptions",
      "raw",
    ],
    why: "catalogue",
  },
  shopify_locations: { columns: ["shopifyId", "name", "address", "raw"], why: "the merchant's locations" },
  shopify_inventory_levels: { columns: ["inventoryItemId", "locationId", "shopifyId"], why: "stock counts" },
  shopify_orders: {
    columns: [
      "shopifyId",
      "name",
      "customerId",
      "financialStatus",
      "fulfillmentStatus",
      "currencyCode",
      "totalPrice",
      "subtotalPrice",
      "totalTax",
      "totalDiscounts",
      "tags",
      "cancelReason",
      "syncedBy",
    ],
    why: "the order's books and statuses; the customer id is pseudonymous and kept",
  },
  shopify_order_line_items: {
    columns: ["shopifyId", "orderId", "productId", "variantId", "title", "variantTitle", "sku", "vendor", "unitPrice"],
    why: "what was bought",
  },
  shopify_webhook_events: {
    columns: ["id", "shop", "webhookId", "topic", "resourceId", "eventId", "apiVersion", "status"],
    why: "delivery metadata",
  },
  shopify_webhook_event_transitions: { columns: ["eventId", "fromStatus", "toStatus"], why: "audit metadata" },
  shopify_customer_data_requests: {
    columns: ["id", "dataRequestId", "customerId", "ordersRequested"],
    why: "the request's ids",
  },
  shopify_sync_states: { columns: ["resource"], why: "sync cursors" },
  shopify_redacted_fields: {
    columns: ["field"],
    why: "which field names Shopify withheld (Type.field), never a value",
  },
  shopify_sync_jobs: {
    columns: ["id", "kind", "resource", "trigger", "status", "checkpoint", "bulkOperationId", "doneByUnit"],
    why: "sync job metadata, resume points and counts of rows written",
  },
  job_queue: {
    columns: ["taskIdentifier", "payload", "queueName", "jobKey", "supersededKey", "shop", "lockedBy"],
    why: "queue metadata; payloads carry ids only",
  },
  _prisma_migrations: {
    columns: ["id", "checksum", "migration_name", "logs"],
    why: "schema history",
  },
};

/** Erases the customer's personal data from every home (or the given ones: the scan test leaves one out). */
export async function eraseCustomerData(
  store: { id: number; shop: string },
  request: CustomerRequest,
  at: Date,
  homes: readonly PersonalDataHome[] = PERSONAL_DATA_HOMES,
): Promise<Record<string, number>> {
  const target = await resolveTarget(store, request);
  const erased: Record<string, number> = {};
  for (const home of homes) erased[home.table] = await home.erase(target, at);
  return erased;
}

/** Everything Shop Sync holds about the customer, by home (the data request export). */
export async function collectCustomerData(
  store: { id: number; shop: string },
  request: CustomerRequest,
): Promise<Record<string, unknown[]>> {
  const target = await resolveTarget(store, request);
  const records: Record<string, unknown[]> = {};
  for (const home of PERSONAL_DATA_HOMES) if (home.collect) records[home.table] = await home.collect(target);
  return JSON.parse(jsonText(records)) as Record<string, unknown[]>;
}
