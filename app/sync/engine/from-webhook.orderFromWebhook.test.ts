import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromWebhook, fulfillmentStatusFromRest, orderFromWebhook, parseWebhookBody } from "./from-webhook";

const raw = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/orders_create.json", "utf8");

describe("orderFromWebhook", () => {
  it("maps Shopify's orders/create sample", () => {
    const { order, lineItems } = orderFromWebhook(parseWebhookBody(raw));
    expect(order).toEqual({
      shopifyId: "gid://shopify/Order/820982911946154508",
      name: "#9999",
      orderNumber: 1234,
      email: "jon@example.com",
      phone: null,
      customerId: "gid://shopify/Customer/115310627314723954",
      customerFirstName: "John",
      customerLastName: "Smith",
      billingAddress: {
        firstName: "Steve",
        lastName: "Shipper",
        name: "Steve Shipper",
        company: "Shipping Company",
        address1: "123 Shipping Street",
        address2: null,
        city: "Shippington",
        province: "Kentucky",
        provinceCode: "KY",
        country: "United States",
        countryCode: "US",
        zip: "40003",
        phone: "555-555-SHIP",
      },
      shippingAddress: expect.objectContaining({ address1: "123 Shipping Street", countryCode: "US" }),
      financialStatus: "VOIDED",
      fulfillmentStatus: "UNFULFILLED",
      currencyCode: "USD",
      totalPrice: "404.95",
      totalPriceMinor: 40495n,
      subtotalPrice: "404.95",
      totalTax: "0.00",
      totalDiscounts: "20.00",
      test: true,
      tags: "tag1, tag2",
      processedAt: new Date("2022-01-01T00:00:00Z"),
      cancelledAt: new Date("2022-01-01T00:00:00Z"),
      cancelReason: "CUSTOMER",
      closedAt: null,
      shopifyCreatedAt: new Date("2022-01-01T00:00:00Z"),
      shopifyUpdatedAt: new Date("2022-01-01T00:00:00Z"),
      raw: expect.objectContaining({ id: "820982911946154508", contact_email: "jon@example.com" }),
    });
    expect(order.raw).not.toHaveProperty("line_items");
    expect(lineItems).toHaveLength(5);
    expect(lineItems[0]).toEqual({
      shopifyId: "gid://shopify/LineItem/487817672276298554",
      orderId: "gid://shopify/Order/820982911946154508",
      productId: "gid://shopify/Product/788032119674292922",
      variantId: null,
      title: "Aviator sunglasses",
      variantTitle: null,
      sku: "SKU2006-001",
      vendor: null,
      quantity: 1,
      currentQuantity: 1,
      unitPrice: "89.99",
      unitPriceMinor: 8999n,
      orderUpdatedAt: new Date("2022-01-01T00:00:00Z"),
      raw: expect.objectContaining({ id: "487817672276298554", product_exists: true }),
    });
    expect(lineItems.map((li) => li.productId)).toEqual([
      "gid://shopify/Product/788032119674292922",
      null,
      null,
      "gid://shopify/Product/788032119674292922",
      "gid://shopify/Product/788032119674292922",
    ]);
    expect(lineItems.reduce((sum, li) => sum + li.unitPriceMinor * BigInt(li.quantity), 0n)).toBe(41495n);
  });

  it("is what every orders topic produces", () => {
    const payload = parseWebhookBody(raw);
    for (const topic of ["orders/create", "orders/updated", "orders/paid", "orders/cancelled"] as const) {
      expect(fromWebhook(topic, payload, { triggeredAt: new Date() })).toEqual({
        kind: "order",
        order: orderFromWebhook(payload),
      });
    }
  });

  it("computes minor units per currency: JPY (0 digits) and KWD (3 digits)", () => {
    const payload = parseWebhookBody(raw) as Record<string, unknown>;
    const yen = (payload.line_items as Array<Record<string, unknown>>).map((li) => ({ ...li, price: "900.0" }));
    const jpy = orderFromWebhook({
      ...payload,
      currency: "JPY",
      total_price: "4050",
      subtotal_price: "4050.0",
      total_tax: "0",
      total_discounts: "200",
      line_items: yen,
    });
    expect(jpy.lineItems[0]).toMatchObject({ unitPrice: "900", unitPriceMinor: 900n });
    expect(jpy.order).toMatchObject({
      currencyCode: "JPY",
      totalPrice: "4050",
      totalPriceMinor: 4050n,
      subtotalPrice: "4050",
    });
    const items = (payload.line_items as Array<Record<string, unknown>>).map((li) => ({ ...li, price: "1.5" }));
    const kwd = orderFromWebhook({
      ...payload,
      currency: "KWD",
      total_price: "12.345",
      total_tax: "0.5",
      total_discounts: "0",
      line_items: items,
    });
    expect(kwd.order).toMatchObject({ totalPrice: "12.345", totalPriceMinor: 12345n, totalTax: "0.500" });
    expect(kwd.lineItems[0]).toMatchObject({ unitPrice: "1.500", unitPriceMinor: 1500n });
    expect(() => orderFromWebhook({ ...payload, currency: "JPY" })).toThrow(/more decimals than JPY allows/);
  });

  it("spells statuses as GraphQL's enums", () => {
    const payload = parseWebhookBody(raw) as Record<string, unknown>;
    const statuses = (financial_status: string | null, fulfillment_status: string | null) => {
      const { order } = orderFromWebhook({ ...payload, financial_status, fulfillment_status });
      return [order.financialStatus, order.fulfillmentStatus];
    };
    expect(statuses("paid", "fulfilled")).toEqual(["PAID", "FULFILLED"]);
    expect(statuses("partially_refunded", "partial")).toEqual(["PARTIALLY_REFUNDED", "PARTIALLY_FULFILLED"]);
    expect(statuses("pending", null)).toEqual(["PENDING", "UNFULFILLED"]);
    expect(statuses(null, "restocked")).toEqual([null, "RESTOCKED"]);
    expect(fulfillmentStatusFromRest("partially_fulfilled")).toBe("PARTIALLY_FULFILLED");
    expect(fulfillmentStatusFromRest("on_hold")).toBe("ON_HOLD");
  });

  it("handles a guest order without customer or addresses", () => {
    const payload = parseWebhookBody(raw) as Record<string, unknown>;
    const { order } = orderFromWebhook({
      ...payload,
      customer: null,
      billing_address: null,
      shipping_address: undefined,
    });
    expect(order).toMatchObject({
      customerId: null,
      customerFirstName: null,
      billingAddress: null,
      shippingAddress: null,
    });
  });

  it("rejects a line item whose ids JSON.parse rounded, and a missing total, by field", () => {
    expect(() => orderFromWebhook(JSON.parse(raw))).toThrow(/customer\.id: id is above 2\^53/);
    const order = JSON.parse(raw) as { customer: unknown };
    order.customer = null;
    expect(() => orderFromWebhook(order)).toThrow(/line_items\.0: product_id: id is above 2\^53/);
    const { total_price: _gone, ...rest } = parseWebhookBody(raw) as Record<string, unknown>;
    expect(() => orderFromWebhook(rest)).toThrow(/orders webhook: total_price: Required/);
  });
});
