import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { parseWebhookBody, parseWebhookBodyWithReviver } from "./webhook-body";

const sample = (name: string) =>
  readFileSync(`tools/shopify-emulator/test-fixtures/webhook-samples/${name}.json`, "utf8");

describe("parseWebhookBody", () => {
  it("reads every body exactly as JSON.parse's reviver with the literal's source does", () => {
    for (const name of ["orders_create", "products_update", "inventory_levels_update", "products_delete"]) {
      expect(parseWebhookBody(sample(name))).toEqual(parseWebhookBodyWithReviver(sample(name)));
    }
    const bigInteger = fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map((n) => ({ literal: n.toString() }));
    // JSON text with integer literals of any size, in values, arrays and keys-like strings.
    const json: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
      value: fc.oneof(
        { depthSize: "small" },
        bigInteger.map((n) => n.literal),
        fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
        fc.string().map((text) => JSON.stringify(text)),
        bigInteger.map((n) => JSON.stringify(`id ${n.literal}`)),
        fc.array(tie("value"), { maxLength: 4 }).map((items) => `[${items.join(",")}]`),
        fc
          .array(fc.tuple(fc.string(), tie("value")), { maxLength: 4 })
          .map((members) => `{${members.map(([key, value]) => `${JSON.stringify(key)}: ${value}`).join(", ")}}`),
      ),
    })).value;
    fc.assert(
      fc.property(json, (text) => {
        expect(parseWebhookBody(text)).toEqual(parseWebhookBodyWithReviver(text));
      }),
      { numRuns: 500 },
    );
  });

  it("parses bodies without long integers as JSON.parse does, and keeps safe 16-digit integers numbers", () => {
    const short = '{"id":123456789012345,"price":"19.99","n":-1.5e3,"s":"a\\u0041","a":[1,{"b":null}]}';
    expect(parseWebhookBody(short)).toEqual(JSON.parse(short));
    expect(parseWebhookBody('{"id":1234567890123456,"big":9007199254740993}')).toEqual({
      id: 1234567890123456,
      big: "9007199254740993",
    });
  });

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
