// The order queries against the emulator, mapped; and the same orders through the emulator's
// orders/updated body must give the same rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orderView } from "../../../tools/shopify-emulator/src/testing";
import { bindCustomerData, FULL_CUSTOMER_DATA } from "./customer-data";
import { startEngineHarness, type EngineHarness } from "../../../tests/support/engine-emulator";
import { fromBulkLine, lineItemFromGraphql, orderFromGraphql } from "./fromGraphql";
import { orderFromWebhook, parseWebhookBody } from "./fromWebhook";
import { ORDER_LINE_ITEMS_PAGE_QUERY, ORDERS_BULK_QUERY, ORDERS_PAGE_QUERY } from "~/admin-api/operations";
import type { OrderWithLineItems } from "./rows";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ seed: "engine-orders", products: 6, maxVariants: 3, orders: 15 });
});
afterAll(() => h.close());

interface Page {
  orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] };
}

async function allPages(): Promise<OrderWithLineItems[]> {
  const out: OrderWithLineItems[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page = await h.query<Page>(bindCustomerData(ORDERS_PAGE_QUERY, FULL_CUSTOMER_DATA), {
      first: 10,
      after,
      query: null,
    });
    out.push(...page.orders.nodes.map(orderFromGraphql));
    if (!page.orders.pageInfo.hasNextPage) return out;
    after = page.orders.pageInfo.endCursor;
  }
}

const withoutRaw = <T extends { raw: unknown }>({ raw: _raw, ...rest }: T) => rest;

describe("orderFromGraphql", () => {
  it("maps the incremental pages: exact ids, money in minor units that add up", async () => {
    const orders = await allPages();
    expect(orders).toHaveLength(15);
    for (const { order, lineItems } of orders) {
      expect(order.shopifyId).toMatch(/^gid:\/\/shopify\/Order\/\d{18}$/);
      expect(order.totalPrice).toMatch(/^\d+\.\d{2}$/); // padded, though GraphQL's Decimal drops zeros
      expect(order.totalPriceMinor).toBe(BigInt(order.totalPrice.replace(".", "")));
      expect(order.financialStatus).toMatch(/^[A-Z_]+$/);
      expect(lineItems.length).toBeGreaterThan(0);
      for (const li of lineItems) {
        expect(li.orderId).toBe(order.shopifyId);
        expect(li.orderUpdatedAt).toEqual(order.shopifyUpdatedAt);
        expect(li.shopifyId).toMatch(/^gid:\/\/shopify\/LineItem\/\d{18}$/);
      }
    }
  });

  it("writes the same rows as the orders/updated webhook for the same order", async () => {
    for (const graphql of await allPages()) {
      const record = h.shop.orders.find((o) => o !== undefined && orderView(h.shop, o).gid === graphql.order.shopifyId);
      if (!record) throw new Error(`no emulator order ${graphql.order.shopifyId}`);
      const webhook = orderFromWebhook(parseWebhookBody(h.webhookBody("orders/updated", orderView(h.shop, record))));
      expect(withoutRaw(webhook.order)).toEqual(withoutRaw(graphql.order));
      expect(webhook.lineItems.map(withoutRaw)).toEqual(graphql.lineItems.map(withoutRaw));
    }
  });

  it("maps the bulk JSONL to the same rows as the pages (line items joined to their order's time)", async () => {
    const rows = (await h.bulk(bindCustomerData(ORDERS_BULK_QUERY, FULL_CUSTOMER_DATA))).map(fromBulkLine);
    const pages = await allPages();
    const byId = (a: { shopifyId: string }, b: { shopifyId: string }) => a.shopifyId.localeCompare(b.shopifyId);
    const orders = rows.flatMap((r) => (r.kind === "order" ? [r.row] : []));
    const updatedAt = new Map(orders.map((o) => [o.shopifyId, o.shopifyUpdatedAt]));
    const lineItems = rows.flatMap((r) =>
      r.kind === "lineItem" ? [{ ...r.row, orderUpdatedAt: updatedAt.get(r.orderId) }] : [],
    );
    expect(orders.map(withoutRaw).sort(byId)).toEqual(pages.map((p) => withoutRaw(p.order)).sort(byId));
    expect(lineItems.map(withoutRaw).sort(byId)).toEqual(pages.flatMap((p) => p.lineItems.map(withoutRaw)).sort(byId));
  });

  it("pages an order's line items with ORDER_LINE_ITEMS_PAGE_QUERY", async () => {
    const [first] = await allPages();
    if (!first) throw new Error("no order");
    const data = await h.query<{ order: { id: string; lineItems: { nodes: unknown[] } } }>(
      ORDER_LINE_ITEMS_PAGE_QUERY,
      {
        id: first.order.shopifyId,
        first: 1,
        after: null,
      },
    );
    const order = { id: data.order.id, updatedAt: first.order.shopifyUpdatedAt };
    expect(data.order.lineItems.nodes.map((node) => lineItemFromGraphql(node, order))).toEqual([first.lineItems[0]]);
  });

  it("maps money in JPY and KWD exactly, padded to the currency's digits", () => {
    const node = (currencyCode: string, amount: string) => ({
      id: "gid://shopify/Order/820982911946154508",
      name: "#1001",
      email: null,
      phone: null,
      customer: null,
      billingAddress: null,
      shippingAddress: null,
      displayFinancialStatus: "PAID",
      displayFulfillmentStatus: "UNFULFILLED",
      currencyCode,
      totalPriceSet: { shopMoney: { amount, currencyCode } },
      subtotalPriceSet: { shopMoney: { amount, currencyCode } },
      totalTaxSet: { shopMoney: { amount: "0.0", currencyCode } },
      totalDiscountsSet: null,
      test: false,
      tags: [],
      processedAt: "2026-01-01T00:00:00Z",
      cancelledAt: null,
      cancelReason: null,
      closedAt: null,
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-01-02T00:00:00Z",
    });
    expect(orderFromGraphql(node("JPY", "4050.0")).order).toMatchObject({
      totalPrice: "4050",
      totalPriceMinor: 4050n,
      totalTax: "0",
    });
    expect(orderFromGraphql(node("KWD", "12.3")).order).toMatchObject({
      totalPrice: "12.300",
      totalPriceMinor: 12300n,
      totalTax: "0.000",
    });
    expect(orderFromGraphql(node("USD", "19.9")).order).toMatchObject({
      totalPrice: "19.90",
      totalPriceMinor: 1990n,
      totalDiscounts: null,
    });
    expect(() =>
      orderFromGraphql({ ...node("USD", "1"), totalPriceSet: { shopMoney: { amount: "1", currencyCode: "EUR" } } }),
    ).toThrow(/totalPriceSet: shopMoney is in EUR, the order in USD/);
  });
});
