// Protected customer data (PCD): what an app may read of a shop's customers, per app and shop, and
// how Shopify answers when it may not (docs/decisions/0023-protected-customer-data.md has the sources).
//
// - Level 1 ("protected customer data"): orders and customers at all. Without it the Order and
//   Customer objects are denied as a whole (the root field answers null with an ACCESS_DENIED error;
//   a bulk operation over them fails with errorCode ACCESS_DENIED), and their webhook topics are not
//   delivered (Shopify refuses those subscriptions).
// - Level 2 ("protected customer fields"), chosen one by one: name, email, phone, address. An
//   unapproved field answers null with an `errors[]` entry naming the object, with its path, in an
//   HTTP 200; bulk JSONL has null in its place; webhook payloads carry null for it.
//
// A shop without a recorded approval gives the app everything (level 2, every field), as a custom app
// or an app on a development store with every field selected: the emulator's behaviour before PCD was
// modelled, so existing setups keep working. Tests and the demo set the approval through the control
// API (PUT /__emulator/shops/:shop/customer-data-access).
import { GraphQLError } from "graphql";
import { z } from "zod";
import type { ShopRec } from "./state/model";

export const PROTECTED_FIELDS = ["name", "email", "phone", "address"] as const;
export type ProtectedField = (typeof PROTECTED_FIELDS)[number];
export const CUSTOMER_DATA_LEVELS = ["none", "level1", "level2"] as const;
export type CustomerDataLevel = (typeof CUSTOMER_DATA_LEVELS)[number];

export interface CustomerDataAccess {
  level: CustomerDataLevel;
  /** Level-2 fields approved (only meaningful at level2). */
  fields: ProtectedField[];
}

export const customerDataAccessSchema = z
  .object({
    level: z.enum(CUSTOMER_DATA_LEVELS),
    fields: z.array(z.enum(PROTECTED_FIELDS)).default([]),
  })
  .strict()
  .transform((a): CustomerDataAccess => ({
    level: a.level,
    fields: a.level === "level2" ? [...new Set(a.fields)] : [],
  }));

export const FULL_CUSTOMER_DATA_ACCESS: CustomerDataAccess = { level: "level2", fields: [...PROTECTED_FIELDS] };

/** The approval `apiKey` has on `shop` (everything when none was set). */
export function customerDataAccessOf(shop: ShopRec, apiKey: string): CustomerDataAccess {
  return shop.customerDataAccess?.[apiKey] ?? FULL_CUSTOMER_DATA_ACCESS;
}

export function setCustomerDataAccess(shop: ShopRec, apiKey: string, access: CustomerDataAccess): void {
  shop.customerDataAccess = { ...shop.customerDataAccess, [apiKey]: access };
}

export function allowsObjects(access: CustomerDataAccess): boolean {
  return access.level !== "none";
}

export function allowsField(access: CustomerDataAccess, field: ProtectedField): boolean {
  return access.level === "level2" && access.fields.includes(field);
}

/** Objects that are customer data as a whole (level 1), by the root fields that return them. */
export const PROTECTED_ROOT_FIELDS: Readonly<Record<string, string>> = {
  orders: "Order",
  order: "Order",
  ordersCount: "Order",
  customer: "Customer",
  customers: "Customer",
};

/** Level-2 fields of the implemented types: (type, field) → which approval it needs. */
export const PROTECTED_GRAPHQL_FIELDS: Readonly<Record<string, Readonly<Record<string, ProtectedField>>>> = {
  Order: { email: "email", phone: "phone" },
  Customer: {
    firstName: "name",
    lastName: "name",
    displayName: "name",
    email: "email",
    defaultEmailAddress: "email",
    phone: "phone",
    defaultPhoneNumber: "phone",
  },
  MailingAddress: {
    firstName: "name",
    lastName: "name",
    name: "name",
    address1: "address",
    address2: "address",
    zip: "address",
    formatted: "address",
    latitude: "address",
    longitude: "address",
    phone: "phone",
  },
};

/**
 * Webhook topics whose payloads are protected customer data (level 1). The compliance topics
 * (customers/data_request, customers/redact) are mandatory and always delivered.
 */
export function isProtectedTopic(topic: string): boolean {
  return topic.startsWith("orders/");
}

/** Shopify's message, which names the object (also for a single field of it). */
export function notApprovedError(shop: ShopRec, apiKey: string, typeName: string): GraphQLError {
  return new GraphQLError(
    `This app is not approved to access the ${typeName} object. ` +
      `See https://partners.shopify.com/${shop.no}/apps/${encodeURIComponent(apiKey)}/customer_data for more details.`,
    { extensions: { code: "ACCESS_DENIED" } },
  );
}

/** The denial for (type, field) under `access`, or null when the app may read it. */
export function fieldDenial(
  shop: ShopRec,
  apiKey: string,
  access: CustomerDataAccess,
  typeName: string,
  fieldName: string,
): GraphQLError | null {
  if (typeName === "QueryRoot") {
    const object = PROTECTED_ROOT_FIELDS[fieldName];
    return object && !allowsObjects(access) ? notApprovedError(shop, apiKey, object) : null;
  }
  const field = PROTECTED_GRAPHQL_FIELDS[typeName]?.[fieldName];
  return field && !allowsField(access, field) ? notApprovedError(shop, apiKey, typeName) : null;
}

// ---- webhook payloads (REST shape, snake_case) ------------------------------------------------

const ADDRESS_KEYS: Readonly<Record<string, ProtectedField>> = {
  first_name: "name",
  last_name: "name",
  name: "name",
  address1: "address",
  address2: "address",
  zip: "address",
  latitude: "address",
  longitude: "address",
  phone: "phone",
};
const CUSTOMER_KEYS: Readonly<Record<string, ProtectedField>> = {
  first_name: "name",
  last_name: "name",
  email: "email",
  phone: "phone",
};
const ORDER_KEYS: Readonly<Record<string, ProtectedField>> = { email: "email", contact_email: "email", phone: "phone" };

type Json = Record<string, unknown>;

function nullDenied(object: unknown, keys: Readonly<Record<string, ProtectedField>>, access: CustomerDataAccess) {
  if (!object || typeof object !== "object") return object;
  const out: Json = { ...(object as Json) };
  for (const [key, field] of Object.entries(keys)) if (key in out && !allowsField(access, field)) out[key] = null;
  return out;
}

/** An order payload as the app receives it: unapproved level-2 fields are null (keys kept). */
export function redactOrderPayload(payload: Json, access: CustomerDataAccess): Json {
  if (access.level === "level2" && PROTECTED_FIELDS.every((f) => access.fields.includes(f))) return payload;
  const out = nullDenied(payload, ORDER_KEYS, access) as Json;
  out.billing_address = nullDenied(out.billing_address, ADDRESS_KEYS, access);
  out.shipping_address = nullDenied(out.shipping_address, ADDRESS_KEYS, access);
  if (out.customer && typeof out.customer === "object") {
    const customer = nullDenied(out.customer, CUSTOMER_KEYS, access) as Json;
    customer.default_address = nullDenied(customer.default_address, ADDRESS_KEYS, access);
    out.customer = customer;
  }
  return out;
}
