// gidPatternOf (the GraphQL schemas' GID check) accepts exactly what gidType reads as that type.
import { describe, expect, it } from "vitest";
import { gidPatternOf, gidType } from "./ids";

const CANDIDATES = [
  "gid://shopify/Product/1",
  "gid://shopify/Product/271878346596884015",
  "gid://shopify/Product/12?variant=3",
  "gid://shopify/Product/",
  "gid://shopify/Product/x1",
  "gid://shopify/ProductVariant/1",
  "gid://shopify/Products/1",
  "gid://shopify/Product/1/2",
  "gid://shopify/Product/1\n",
  " gid://shopify/Product/1",
  "gid://shopify/product/1",
  "",
];

describe("gidPatternOf", () => {
  it("matches a value exactly when gidType reads it as the type", () => {
    for (const type of ["Product", "ProductVariant", "InventoryItem"] as const) {
      for (const value of CANDIDATES) {
        expect([type, value, gidPatternOf(type).test(value)]).toEqual([type, value, gidType(value) === type]);
      }
    }
    expect(gidPatternOf("Product").test("gid://shopify/Product/1")).toBe(true);
  });
});
