import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { orderFromWebhook, parseWebhookBody } from "./from-webhook";
import { redactIncomingOrder, redactLineItem, redactOrder } from "./redact";

const raw = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/orders_create.json", "utf8");

// Every piece of personal data in Shopify's sample order.
const PII = [
  "john@example.com",
  "jon@example.com",
  "John",
  "Smith",
  "Steve",
  "Shipper",
  "555-555-SHIP",
  "123-123-1234",
  "123 Shipping Street",
  "123 Elm St.",
  "K2H7A8",
  "40003",
];

const serialize = (value: unknown) =>
  JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

function expectNoPii(value: unknown) {
  const text = serialize(value);
  for (const needle of PII) expect(text.toLowerCase(), needle).not.toContain(needle.toLowerCase());
}

describe("redactOrder", () => {
  const at = new Date("2026-11-24T12:00:00Z");

  it("erases the REST order's personal data from the columns and raw, and keeps the books", () => {
    const { order, lineItems } = orderFromWebhook(parseWebhookBody(raw));
    expect(serialize(order)).toContain("john@example.com"); // the test would prove nothing otherwise
    const redacted = { ...order, ...redactOrder(order, at) };
    expectNoPii(redacted);
    expect(redacted).toMatchObject({
      email: null,
      phone: null,
      customerFirstName: null,
      customerLastName: null,
      billingAddress: null,
      shippingAddress: null,
      redactedAt: at,
      customerId: "gid://shopify/Customer/115310627314723954",
      totalPrice: "404.95",
      name: "#9999",
    });
    expect(redacted.raw).toMatchObject({
      customer: { id: "115310627314723954", admin_graphql_api_id: "gid://shopify/Customer/115310627314723954" },
      billing_address: null,
      shipping_address: null,
      contact_email: null,
      order_status_url: null,
      total_price: "404.95",
      name: "#9999",
    });
    for (const li of lineItems) expectNoPii({ ...li, ...redactLineItem(li) });
  });

  it("erases the GraphQL order's personal data", () => {
    const graphqlRaw = {
      id: "gid://shopify/Order/1",
      name: "#1001",
      email: "john@example.com",
      phone: "+15555550123",
      customer: { id: "gid://shopify/Customer/7", firstName: "John", lastName: "Smith" },
      billingAddress: {
        firstName: "Steve",
        lastName: "Shipper",
        name: "Steve Shipper",
        address1: "123 Shipping Street",
        zip: "40003",
        phone: "555-555-SHIP",
      },
      shippingAddress: {
        firstName: "John",
        lastName: "Smith",
        address1: "123 Elm St.",
        zip: "K2H7A8",
        phone: "123-123-1234",
      },
      totalPriceSet: { shopMoney: { amount: "10.0", currencyCode: "USD" } },
    };
    const update = redactOrder({ raw: graphqlRaw }, at);
    expectNoPii(update);
    expect(serialize(update)).not.toContain("+15555550123");
    expect(update.raw).toEqual({
      id: "gid://shopify/Order/1",
      name: "#1001",
      email: null,
      phone: null,
      customer: { id: "gid://shopify/Customer/7" },
      billingAddress: null,
      shippingAddress: null,
      totalPriceSet: { shopMoney: { amount: "10.0", currencyCode: "USD" } },
    });
  });

  it("keeps a late retry from bringing the data back", () => {
    const { order } = orderFromWebhook(parseWebhookBody(raw));
    const incoming = redactIncomingOrder(order);
    expectNoPii(incoming);
    expect(incoming).not.toHaveProperty("redactedAt");
    expect(incoming.shopifyUpdatedAt).toEqual(order.shopifyUpdatedAt);
  });

  it("handles an order without raw", () => {
    expect(redactOrder({ raw: null }, at).raw).toBeNull();
  });
});
