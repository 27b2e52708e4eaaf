import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fromWebhook, parseWebhookBody, productDeleteFromWebhook, productFromWebhook } from "./from-webhook";
import { ShopifyInputError } from "./input";

const sample = (name: string) =>
  readFileSync(`tools/shopify-emulator/test-fixtures/webhook-samples/${name}.json`, "utf8");

describe("productFromWebhook", () => {
  it("maps Shopify's products/update sample", () => {
    const { product, variants } = productFromWebhook(parseWebhookBody(sample("products_update")));
    expect(product).toMatchObject({
      shopifyId: "gid://shopify/Product/788032119674292922",
      title: "Example T-Shirt",
      handle: "example-t-shirt",
      vendor: "Acme",
      productType: "Shirts",
      status: "ACTIVE",
      tags: "example, mens, t-shirt",
      shopifyCreatedAt: null,
      shopifyUpdatedAt: new Date("2022-01-01T00:00:00Z"),
      publishedAt: new Date("2022-01-01T00:00:00Z"),
      deletedAt: null,
    });
    expect(product.raw).toMatchObject({ body_html: "An example T-Shirt", id: "788032119674292922" });
    expect(product.raw).not.toHaveProperty("variants");
    expect(variants).toEqual([
      {
        shopifyId: "gid://shopify/ProductVariant/642667041472713922",
        productId: "gid://shopify/Product/788032119674292922",
        title: "Small",
        sku: null,
        barcode: null,
        price: "19.99",
        compareAtPrice: "24.99",
        position: 1,
        inventoryItemId: null,
        inventoryPolicy: "DENY",
        inventoryQuantity: 75,
        // The sample has no `options`, so the option has no name to take.
        selectedOptions: [{ name: "Option 1", value: "Small" }],
        taxable: true,
        shopifyCreatedAt: new Date("2021-12-30T00:00:00Z"),
        shopifyUpdatedAt: new Date("2021-12-31T00:00:00Z"),
        raw: expect.objectContaining({ id: "642667041472713922", product_id: "788032119674292922" }),
      },
      expect.objectContaining({
        shopifyId: "gid://shopify/ProductVariant/757650484644203962",
        title: "Medium",
        position: 2,
        selectedOptions: [{ name: "Option 1", value: "Medium" }],
        shopifyUpdatedAt: new Date("2022-01-01T00:00:00Z"),
      }),
    ]);
  });

  it("names options from the product and builds inventory item GIDs from exact ids", () => {
    const payload = parseWebhookBody(
      sample("products_update")
        .replace('"options": []', '"options": [{"name": "Size", "position": 1, "values": ["Small", "Medium"]}]')
        .replace('"inventory_item_id": null', '"inventory_item_id": 271878346596884015'),
    );
    const { variants } = productFromWebhook(payload);
    expect(variants[0]).toMatchObject({
      inventoryItemId: "gid://shopify/InventoryItem/271878346596884015",
      selectedOptions: [{ name: "Size", value: "Small" }],
    });
  });

  it("rejects a payload without what it needs, naming the field", () => {
    const payload = parseWebhookBody(sample("products_update")) as Record<string, unknown>;
    const { updated_at: _gone, ...withoutUpdatedAt } = payload;
    expect(() => productFromWebhook(withoutUpdatedAt)).toThrow(ShopifyInputError);
    expect(() => productFromWebhook(withoutUpdatedAt)).toThrow(/products webhook: updated_at: Required/);
    expect(() => productFromWebhook({ ...payload, admin_graphql_api_id: "gid://shopify/Order/1" })).toThrow(
      /admin_graphql_api_id: expected a Product GID/,
    );
    const badVariant = { ...payload, variants: [{ ...(payload.variants as object[])[0], price: 19.99 }] };
    expect(() => productFromWebhook(badVariant)).toThrow(/variants\.0: price: Expected string, received number/);
  });
});

describe("productDeleteFromWebhook", () => {
  const deliveredAt = new Date("2026-11-24T10:00:00Z");

  it("turns {id} into a tombstone dated by the delivery, with the exact id", () => {
    expect(productDeleteFromWebhook(parseWebhookBody(sample("products_delete")), deliveredAt)).toEqual({
      shopifyId: "gid://shopify/Product/788032119674292922",
      deletedAt: deliveredAt,
    });
    expect(
      fromWebhook("products/delete", parseWebhookBody(sample("products_delete")), { triggeredAt: deliveredAt }),
    ).toEqual({
      kind: "productTombstone",
      tombstone: { shopifyId: "gid://shopify/Product/788032119674292922", deletedAt: deliveredAt },
    });
  });

  it("refuses an id JSON.parse already rounded, instead of deleting another product", () => {
    expect(() => productDeleteFromWebhook(JSON.parse(sample("products_delete")), deliveredAt)).toThrow(
      /above 2\^53.*parseWebhookBody/,
    );
  });
});
