// customers/redact: erase a customer's personal data from the orders we hold — the columns and the
// Shopify JSON in `raw` — and mark the order redactedAt. The order itself (amounts, line items, status)
// stays: the merchant's books are not personal data.
//
// What counts as personal data follows Shopify's protected customer data fields (name, email, phone,
// address), plus what identifies or reaches a person in an order body: IP and user agent
// (browser_ip, client_details), the order status URL (a bearer link to the customer's details), free
// text a customer can type (note, note_attributes, line item properties) and payment receipts.
// `customer` keeps only its ids: they are pseudonymous, and the next customers/redact or
// customers/data_request finds the order by them.
import type { Prisma } from "@prisma/client";
import { toJson } from "./rows";

/** Erased wherever they appear, at any depth, in REST (snake_case) or GraphQL (camelCase) JSON. */
const ERASED_KEYS = new Set([
  // contact
  "email",
  "contact_email",
  "customer_email",
  "phone",
  // names
  "first_name",
  "last_name",
  "firstName",
  "lastName",
  "displayName",
  // addresses, whole
  "billing_address",
  "shipping_address",
  "billingAddress",
  "shippingAddress",
  "displayAddress",
  "default_address",
  "defaultAddress",
  "addresses",
  "destination",
  // address parts, wherever an address was copied
  "address1",
  "address2",
  "zip",
  "latitude",
  "longitude",
  // reaching or identifying a person
  "browser_ip",
  "client_details",
  "order_status_url",
  "statusPageUrl",
  "note",
  "note_attributes",
  "customAttributes",
  "properties",
  "receipt",
  "payment_details",
]);

const CUSTOMER_KEYS = new Set(["customer"]);
const CUSTOMER_KEPT = ["id", "admin_graphql_api_id"];

/** The JSON with every personal field set to null (keys kept, so the shape stays recognisable). */
export function redactRaw(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactRaw);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (ERASED_KEYS.has(key)) out[key] = null;
    else if (CUSTOMER_KEYS.has(key)) out[key] = customerIds(member);
    else out[key] = redactRaw(member);
  }
  return out;
}

function customerIds(customer: unknown): unknown {
  if (customer === null || typeof customer !== "object" || Array.isArray(customer)) return null;
  const source = customer as Record<string, unknown>;
  return Object.fromEntries(CUSTOMER_KEPT.filter((key) => key in source).map((key) => [key, source[key]]));
}

export interface OrderRedaction {
  email: null;
  phone: null;
  customerFirstName: null;
  customerLastName: null;
  billingAddress: null;
  shippingAddress: null;
  raw: Prisma.InputJsonValue | null;
  redactedAt: Date;
}

/**
 * The update that erases an order's personal data. `customerId` is kept (see above). Json nulls are
 * SQL NULL, as in rows.ts: map them to Prisma.DbNull for a Prisma `update`.
 */
export function redactOrder(order: { raw: unknown }, redactedAt: Date): OrderRedaction {
  return {
    email: null,
    phone: null,
    customerFirstName: null,
    customerLastName: null,
    billingAddress: null,
    shippingAddress: null,
    raw: order.raw === null || order.raw === undefined ? null : toJson(redactRaw(jsonValue(order.raw))),
    redactedAt,
  };
}

/**
 * `raw` as a value. Rows mapped from a bulk line hold it as JSON text (from-graphql.ts), and a raw
 * column is always an object, never a JSON string, so a string here is that text.
 */
function jsonValue(raw: unknown): unknown {
  return typeof raw === "string" ? (JSON.parse(raw) as unknown) : raw;
}

/** A line item's `raw` without personal data (properties, copied addresses). */
export function redactLineItem(lineItem: { raw: unknown }): { raw: Prisma.InputJsonValue | null } {
  return {
    raw: lineItem.raw === null || lineItem.raw === undefined ? null : toJson(redactRaw(jsonValue(lineItem.raw))),
  };
}

/**
 * An incoming row for an order already redacted (a late retry still carries the old payload): write it
 * without the personal data, so a redaction is never undone by the sync.
 */
export function redactIncomingOrder<Row extends { raw: unknown }>(row: Row): Row & Omit<OrderRedaction, "redactedAt"> {
  const { redactedAt: _keepStored, ...erased } = redactOrder(row, new Date(0));
  return { ...row, ...erased };
}
