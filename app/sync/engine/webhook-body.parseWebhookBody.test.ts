import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseWebhookBody } from "./webhook-body";

const sample = (name: string) =>
  readFileSync(`tools/shopify-emulator/test-fixtures/webhook-samples/${name}.json`, "utf8");

describe("parseWebhookBody", () => {
  it("keeps integers above 2^53 exact, as decimal strings (JSON.parse rounds them)", () => {
    const raw = sample("inventory_levels_update");
    expect((JSON.parse(raw) as { inventory_item_id: number }).inventory_item_id).toBe(271878346596884000);
    expect(parseWebhookBody(raw)).toEqual({
      inventory_item_id: "271878346596884015",
      location_id: 24826418,
      available: 10,
      updated_at: "2021-12-31T19:00:00-05:00",
      admin_graphql_api_id: "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015",
    });
  });

  it("every big id in Shopify's order sample survives", () => {
    const order = parseWebhookBody(sample("orders_create")) as {
      id: string;
      customer: { id: string; default_address: { id: string; customer_id: string } };
      line_items: Array<{ id: string; product_id: string | null; sales_line_item_group_id: unknown }>;
      shipping_lines: Array<{ id: string }>;
    };
    expect(order.id).toBe("820982911946154508");
    expect(order.customer.id).toBe("115310627314723954");
    expect(order.customer.default_address).toMatchObject({
      id: "715243470612851245",
      customer_id: "115310627314723954",
    });
    expect(order.line_items.map((li) => li.product_id)).toEqual([
      "788032119674292922",
      null,
      null,
      "788032119674292922",
      "788032119674292922",
    ]);
    // Small integers stay numbers; the result is still JSON.
    expect(order.line_items[3]?.sales_line_item_group_id).toBe(142831562);
    expect(order.shipping_lines[0]?.id).toBe("271878346596884015");
    expect(() => JSON.stringify(order)).not.toThrow();
  });

  it("leaves other numbers alone", () => {
    expect(
      parseWebhookBody('{"a":-9007199254740993,"b":0.1,"c":1e21,"d":9007199254740991,"e":[12345678901234567890]}'),
    ).toEqual({
      a: "-9007199254740993",
      b: 0.1,
      c: 1e21,
      d: 9007199254740991,
      e: ["12345678901234567890"],
    });
  });

  it("throws on malformed JSON like JSON.parse", () => {
    expect(() => parseWebhookBody("{")).toThrow(SyntaxError);
  });
});
