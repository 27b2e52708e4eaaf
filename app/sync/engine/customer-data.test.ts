// The customer-data policy shapes every order document and mapper: bound documents validate against
// Shopify's 2026-10 schema (and the bulk rules) at every level, and select exactly the allowed fields.
import { parse, validate, visit } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../../tools/admin-schema/admin-schema";
import { analyzeBulkQuery } from "../../../tools/shopify-emulator/src/testing";
import {
  bindCustomerData,
  customerDataPolicy,
  minimiseGraphqlOrder,
  minimiseOrderPayload,
  PROTECTED_FIELDS,
  protectedFieldOf,
  type CustomerDataPolicy,
} from "./customer-data";
import { ORDERS_BULK_QUERY, ORDERS_PAGE_QUERY, withRootSearch } from "~/admin-api/operations";
import { writeOutFragments } from "~/admin-api/operations/document";

const schema = loadAdminSchema();

const POLICIES: Array<[string, CustomerDataPolicy]> = [
  ["level1", customerDataPolicy("level1", [])],
  ...PROTECTED_FIELDS.map((f): [string, CustomerDataPolicy] => [`level2 ${f}`, customerDataPolicy("level2", [f])]),
  ["level2 all", customerDataPolicy("level2", PROTECTED_FIELDS)],
];

/** Dotted paths of the leaf fields a document selects under `orders`' nodes (fragments included). */
function selectedOrderFields(document: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  visit(parse(writeOutFragments(document)), {
    Field: {
      enter(node) {
        stack.push(node.name.value);
        if (!node.selectionSet) {
          const path = stack.filter((n) => !["orders", "edges", "node", "nodes", "pageInfo"].includes(n));
          if (!path.includes("lineItems") && !path.includes("shopMoney")) out.add(path.join("."));
        }
      },
      leave() {
        stack.pop();
      },
    },
  });
  return out;
}

const PROTECTED_PATHS: Record<string, string[]> = {
  email: ["email"],
  phone: ["phone", "billingAddress.phone", "shippingAddress.phone"],
  name: [
    "customer.firstName",
    "customer.lastName",
    ...["billingAddress", "shippingAddress"].flatMap((a) => [`${a}.firstName`, `${a}.lastName`, `${a}.name`]),
  ],
  address: ["billingAddress", "shippingAddress"].flatMap((a) => [`${a}.address1`, `${a}.address2`, `${a}.zip`]),
};

describe("bindCustomerData", () => {
  it.each(POLICIES)("%s: the order documents validate and select exactly the allowed fields", (_name, policy) => {
    for (const document of [ORDERS_PAGE_QUERY, ORDERS_BULK_QUERY]) {
      const bound = bindCustomerData(document, policy);
      expect(validate(schema, parse(bound)).map((e) => e.message)).toEqual([]);
      expect(bound).not.toMatch(/\$customer|@include/);
      const selected = selectedOrderFields(bound);
      for (const [field, paths] of Object.entries(PROTECTED_PATHS)) {
        for (const path of paths) expect(selected.has(path), `${path}`).toBe(policy.fields.includes(field as never));
      }
      // What is not customer data stays.
      for (const kept of ["id", "name", "customer.id", "billingAddress.city", "billingAddress.countryCodeV2"]) {
        expect(selected.has(kept), kept).toBe(true);
      }
    }
    const bulk = withRootSearch(bindCustomerData(ORDERS_BULK_QUERY, policy), "created_at:>='2026-01-01'");
    const analysis = analyzeBulkQuery(schema, bulk);
    expect(analysis.ok ? [] : analysis.userErrors).toEqual([]);
  });

  it("the documents as written cannot be sent unbound: the switches are required variables", () => {
    const errors = validate(schema, parse(ORDERS_PAGE_QUERY));
    expect(errors).toEqual([]);
    expect(ORDERS_PAGE_QUERY).toContain("$customerEmail: Boolean!");
  });
});

describe("the mappers' minimisation", () => {
  const graphqlOrder = {
    id: "gid://shopify/Order/1",
    email: "a@example.com",
    phone: "+1",
    customer: { id: "gid://shopify/Customer/1", firstName: "A", lastName: "B" },
    billingAddress: { name: "A B", firstName: "A", address1: "1 Road", zip: "K1", city: "Ottawa", phone: "+1" },
    shippingAddress: null,
  };
  it("drops what the policy does not allow from GraphQL nodes and keeps the rest", () => {
    expect(minimiseGraphqlOrder(graphqlOrder, customerDataPolicy("level2", ["email"]))).toEqual({
      id: "gid://shopify/Order/1",
      email: "a@example.com",
      customer: { id: "gid://shopify/Customer/1" },
      billingAddress: { city: "Ottawa" },
      shippingAddress: null,
    });
    expect(minimiseGraphqlOrder(graphqlOrder, customerDataPolicy("level2", PROTECTED_FIELDS))).toBe(graphqlOrder);
  });

  it("drops them from REST webhook payloads, the customer's default address too", () => {
    const payload = {
      id: 1,
      email: "a@example.com",
      contact_email: "a@example.com",
      phone: null,
      customer: { id: 1, first_name: "A", email: "a@example.com", default_address: { address1: "1 Road", city: "X" } },
      billing_address: { first_name: "A", address1: "1 Road", city: "Ottawa", zip: "K1" },
      shipping_address: null,
      line_items: [{ id: 1 }],
    };
    expect(minimiseOrderPayload(payload, customerDataPolicy("level2", ["name"]))).toEqual({
      id: 1,
      customer: { id: 1, first_name: "A", default_address: { city: "X" } },
      billing_address: { first_name: "A", city: "Ottawa" },
      shipping_address: null,
      line_items: [{ id: 1 }],
    });
  });

  it("names the protected field of a redacted GraphQL field", () => {
    expect(protectedFieldOf("Order.email")).toBe("email");
    expect(protectedFieldOf("Customer.lastName")).toBe("name");
    expect(protectedFieldOf("MailingAddress.zip")).toBe("address");
    expect(protectedFieldOf("MailingAddress.phone")).toBe("phone");
    expect(protectedFieldOf("MailingAddress.city")).toBeNull();
  });
});
