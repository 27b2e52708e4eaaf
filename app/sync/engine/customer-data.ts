// What the app may ask for and keep of a shop's customers (protected customer data,
// docs/decisions/0023-protected-customer-data.md). One configured policy (CUSTOMER_DATA_LEVEL and
// CUSTOMER_DATA_FIELDS, app/env.server.ts) shapes:
//
// - every GraphQL document: protected fields carry `@include(if: $customerName)` (… Email, Phone,
//   Address) in app/admin-api/operations/fragments.ts, so each document validates against Shopify's schema as written;
//   bindCustomerData resolves those directives for the policy before the document is sent, so the app
//   never requests a field it may not have (a bulk query takes no variables, and a page query then
//   needs none);
// - every mapper: an order node (GraphQL) or payload (REST webhook) loses the fields the policy does
//   not allow before it is mapped, so neither the columns nor `raw` keep them.
//
// Level `none` means no orders at all: Order objects are protected customer data themselves (level 1).
import { Kind, parse, print, visit, type FieldNode } from "graphql";

export const CUSTOMER_DATA_LEVELS = ["none", "level1", "level2"] as const;
export type CustomerDataLevel = (typeof CUSTOMER_DATA_LEVELS)[number];
/** Shopify's level-2 "protected customer fields", each approved on its own. */
export const PROTECTED_FIELDS = ["name", "email", "phone", "address"] as const;
export type ProtectedField = (typeof PROTECTED_FIELDS)[number];

export interface CustomerDataPolicy {
  level: CustomerDataLevel;
  /** The level-2 fields (empty below level 2). */
  fields: readonly ProtectedField[];
}

export const FULL_CUSTOMER_DATA: CustomerDataPolicy = { level: "level2", fields: PROTECTED_FIELDS };

export function customerDataPolicy(level: CustomerDataLevel, fields: readonly ProtectedField[]): CustomerDataPolicy {
  return { level, fields: level === "level2" ? PROTECTED_FIELDS.filter((f) => fields.includes(f)) : [] };
}

export function syncsOrders(policy: CustomerDataPolicy): boolean {
  return policy.level !== "none";
}

export function allowsField(policy: CustomerDataPolicy, field: ProtectedField): boolean {
  return policy.level === "level2" && policy.fields.includes(field);
}

// ---- GraphQL documents ---------------------------------------------------------------------------

/** The document variables that switch a protected field on, by field. */
const SWITCHES: Readonly<Record<string, ProtectedField>> = {
  customerName: "name",
  customerEmail: "email",
  customerPhone: "phone",
  customerAddress: "address",
};

function switchOf(field: FieldNode): { directive: unknown; field: ProtectedField } | null {
  for (const directive of field.directives ?? []) {
    if (directive.name.value !== "include") continue;
    const condition = directive.arguments?.find((a) => a.name.value === "if")?.value;
    const field = condition?.kind === Kind.VARIABLE ? SWITCHES[condition.name.value] : undefined;
    if (field) return { directive, field };
  }
  return null;
}

const bound = new Map<string, string>();

/**
 * `document` with its customer-data switches resolved for `policy`: a field the policy does not allow
 * is gone, an allowed one loses its directive, and the switch variables are no longer declared.
 */
export function bindCustomerData(document: string, policy: CustomerDataPolicy): string {
  const key = `${policy.level}:${policy.fields.join(",")}\n${document}`;
  let out = bound.get(key);
  if (out === undefined) {
    const edited = visit(parse(document), {
      VariableDefinition: (node) => (node.variable.name.value in SWITCHES ? null : undefined),
      Field: (node) => {
        const found = switchOf(node);
        if (!found) return undefined;
        if (!allowsField(policy, found.field)) return null;
        return { ...node, directives: node.directives?.filter((d) => d !== found.directive) };
      },
    });
    out = print(edited);
    bound.set(key, out);
  }
  return out;
}

// ---- mappers -----------------------------------------------------------------------------------

/** The keys of one object level that hold a protected field, and which. */
type Shape = Readonly<Record<string, ProtectedField>>;
type Json = Record<string, unknown>;

/** `value` without the keys of `shape` the policy does not allow (a copy only when one goes). */
function without(value: unknown, shape: Shape, policy: CustomerDataPolicy): unknown {
  if (!value || typeof value !== "object" || Array.isArray(value)) return value;
  let out: Json | null = null;
  for (const [key, field] of Object.entries(shape)) {
    if (key in (value as Json) && !allowsField(policy, field)) {
      out ??= { ...(value as Json) };
      delete out[key];
    }
  }
  return out ?? value;
}

interface Shapes {
  own: Shape;
  nested: Readonly<Record<string, Shape>>;
}

/** An object and its nested objects without what the policy does not allow; untouched at full level 2. */
function minimise(node: unknown, policy: CustomerDataPolicy, shapes: Shapes) {
  if (policy.level === "level2" && policy.fields.length === PROTECTED_FIELDS.length) return node;
  if (!node || typeof node !== "object") return node;
  const out = { ...(without(node, shapes.own, policy) as Json) };
  for (const [key, shape] of Object.entries(shapes.nested)) {
    if (key in out) out[key] = without(out[key], shape, policy);
  }
  return out;
}

const GRAPHQL_ADDRESS: Shape = {
  firstName: "name",
  lastName: "name",
  name: "name",
  address1: "address",
  address2: "address",
  zip: "address",
  phone: "phone",
};
const GRAPHQL_ORDER: Shapes = {
  own: { email: "email", phone: "phone" },
  nested: {
    customer: { firstName: "name", lastName: "name", email: "email", phone: "phone" },
    billingAddress: GRAPHQL_ADDRESS,
    shippingAddress: GRAPHQL_ADDRESS,
  },
};

/** An Order node (page or bulk line) without the fields the policy does not allow. */
export function minimiseGraphqlOrder(node: unknown, policy: CustomerDataPolicy): unknown {
  return minimise(node, policy, GRAPHQL_ORDER);
}

const REST_ADDRESS: Shape = {
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
const REST_ORDER: Shapes = {
  own: { email: "email", contact_email: "email", phone: "phone" },
  nested: {
    billing_address: REST_ADDRESS,
    shipping_address: REST_ADDRESS,
  },
};
const REST_CUSTOMER: Shapes = {
  own: { first_name: "name", last_name: "name", email: "email", phone: "phone" },
  nested: { default_address: REST_ADDRESS },
};

/** An orders/* webhook payload without the fields the policy does not allow. */
export function minimiseOrderPayload(payload: unknown, policy: CustomerDataPolicy): unknown {
  const order = minimise(payload, policy, REST_ORDER);
  if (!order || typeof order !== "object" || !("customer" in order)) return order;
  return { ...order, customer: minimise((order as Json).customer, policy, REST_CUSTOMER) };
}

// ---- redactions Shopify reported -------------------------------------------------------------------

/**
 * Which protected field a redacted GraphQL field ("Type.field", as the client reports it) is, for
 * the merchant's notice; null for one outside the four.
 */
export function protectedFieldOf(redacted: string): ProtectedField | null {
  const [type, field] = redacted.split(".");
  if (!field) return null;
  if (/^(email|defaultEmailAddress)$/.test(field)) return "email";
  if (/^(phone|defaultPhoneNumber)$/.test(field)) return "phone";
  if (/^(firstName|lastName|name|displayName)$/.test(field)) return "name";
  if (type === "MailingAddress" && /^(address1|address2|zip|formatted|latitude|longitude)$/.test(field)) {
    return "address";
  }
  return null;
}
