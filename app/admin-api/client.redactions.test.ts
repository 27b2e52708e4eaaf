// Which answers with errors[] are data (protected customer data Shopify redacted, ADR 0023) and which
// fail the call. The end-to-end cases (the real library, the emulator) are in
// tests/sync/customer-data.test.ts; these pin the rule itself.
import { describe, expect, it } from "vitest";
import { redactionsOf } from "./client.server";

const notApproved = (type: string) =>
  `This app is not approved to access the ${type} object. See https://partners.shopify.com/1/apps/2/customer_data for more details.`;

describe("redactionsOf", () => {
  const data = {
    orders: {
      nodes: [
        { id: "gid://shopify/Order/1", email: null, customer: { id: "c", firstName: null }, billingAddress: null },
        { id: "gid://shopify/Order/2", email: null, customer: null, billingAddress: { zip: null, city: "X" } },
      ],
    },
  };

  it("names the redacted fields (type from the message, field from the path), once each", () => {
    expect(
      redactionsOf(data, [
        { message: notApproved("Order"), path: ["orders", "nodes", 0, "email"], extensions: { code: "ACCESS_DENIED" } },
        { message: notApproved("Order"), path: ["orders", "nodes", 1, "email"] },
        { message: notApproved("Customer"), path: ["orders", "nodes", 0, "customer", "firstName"] },
        { message: notApproved("MailingAddress"), path: ["orders", "nodes", 1, "billingAddress", "zip"] },
      ]),
    ).toEqual(["Customer.firstName", "MailingAddress.zip", "Order.email"]);
  });

  it("a whole object denied is not a redaction: the call fails", () => {
    expect(redactionsOf(null, [{ message: notApproved("Order"), path: ["orders"] }])).toBeNull();
    expect(
      redactionsOf({ orders: { nodes: [{ id: "1", customer: null }] } }, [
        { message: notApproved("Customer"), path: ["orders", "nodes", 0, "customer"] },
      ]),
    ).toBeNull();
  });

  it("any other error among them fails the call (a missing scope, a value that is there, no path)", () => {
    const scope = {
      message: "Access denied for orders field. Required access: `read_orders` access scope.",
      path: ["orders"],
      extensions: { code: "ACCESS_DENIED" },
    };
    const redaction = { message: notApproved("Order"), path: ["orders", "nodes", 0, "email"] };
    expect(redactionsOf(data, [redaction, scope])).toBeNull();
    expect(redactionsOf(data, [{ message: notApproved("Order"), path: ["orders", "nodes", 0, "id"] }])).toBeNull();
    expect(redactionsOf(data, [{ message: notApproved("Order") }])).toBeNull();
    expect(redactionsOf(data, [])).toBeNull();
  });
});
