// Runs the real queries against the in-process emulator (proof they execute), maps what comes back,
// and checks the webhook mapper writes the same rows from the emulator's products/update body.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { productView } from "../../../tools/shopify-emulator/src/testing";
import { startEngineHarness, type EngineHarness } from "../../../tests/support/engine-emulator";
import { fromBulkLine, productFromGraphql, variantFromGraphql } from "./fromGraphql";
import { parseWebhookBody, productFromWebhook } from "./fromWebhook";
import { PRODUCT_VARIANTS_PAGE_QUERY, PRODUCTS_BULK_QUERY, PRODUCTS_PAGE_QUERY } from "~/admin-api/operations";
import type { ProductWithVariants } from "./rows";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ seed: "engine-products", products: 12, maxVariants: 4, orders: 0 });
});
afterAll(() => h.close());

interface Page {
  products: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[] };
}

async function allPages(): Promise<ProductWithVariants[]> {
  const out: ProductWithVariants[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page = await h.query<Page>(PRODUCTS_PAGE_QUERY, { first: 5, after, query: null });
    out.push(...page.products.nodes.map(productFromGraphql));
    if (!page.products.pageInfo.hasNextPage) return out;
    after = page.products.pageInfo.endCursor;
  }
}

const withoutRaw = <T extends { raw: unknown }>({ raw: _raw, ...rest }: T) => rest;

describe("productFromGraphql", () => {
  it("maps every product of the incremental pages, sorted by updatedAt", async () => {
    const products = await allPages();
    expect(products).toHaveLength(12);
    const times = products.map((p) => p.product.shopifyUpdatedAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
    for (const { product, variants } of products) {
      expect(product.shopifyId).toMatch(/^gid:\/\/shopify\/Product\/\d+$/);
      expect(product.status).toMatch(/^(ACTIVE|DRAFT|ARCHIVED)$/);
      expect(product.deletedAt).toBeNull();
      expect(variants.length).toBeGreaterThan(0);
      for (const v of variants) {
        expect(v.productId).toBe(product.shopifyId);
        expect(v.inventoryItemId).toMatch(/^gid:\/\/shopify\/InventoryItem\/\d{18}$/); // above 2^53
        expect(v.price).toMatch(/^\d+\.\d{2}$/);
      }
    }
  });

  it("writes the same rows as the products/update webhook for the same product", async () => {
    for (const graphql of await allPages()) {
      const record = h.shop.products.find(
        (p) => p !== undefined && `gid://shopify/Product/${productView(h.shop, p).id}` === graphql.product.shopifyId,
      );
      expect(record).toBeDefined();
      if (!record) continue;
      const webhook = productFromWebhook(
        parseWebhookBody(h.webhookBody("products/update", productView(h.shop, record))),
      );
      expect(withoutRaw(webhook.product)).toEqual(withoutRaw(graphql.product));
      expect(webhook.variants.map(withoutRaw)).toEqual(graphql.variants.map(withoutRaw));
    }
  });

  it("maps the bulk JSONL line by line to the same rows as the pages", async () => {
    const lines = await h.bulk(PRODUCTS_BULK_QUERY);
    const rows = lines.map(fromBulkLine);
    const pages = await allPages();
    const byId = (a: { shopifyId: string }, b: { shopifyId: string }) => a.shopifyId.localeCompare(b.shopifyId);
    const bulkProducts = rows.flatMap((r) => (r.kind === "product" ? [withoutRaw(r.row)] : []));
    const bulkVariants = rows.flatMap((r) => (r.kind === "variant" ? [withoutRaw(r.row)] : []));
    expect(bulkProducts.sort(byId)).toEqual(pages.map((p) => withoutRaw(p.product)).sort(byId));
    expect(bulkVariants.sort(byId)).toEqual(pages.flatMap((p) => p.variants.map(withoutRaw)).sort(byId));
  });

  it("pages a product's variants with PRODUCT_VARIANTS_PAGE_QUERY", async () => {
    const [first] = await allPages();
    if (!first) throw new Error("no product");
    const data = await h.query<{ product: { id: string; variants: { nodes: unknown[] } } }>(
      PRODUCT_VARIANTS_PAGE_QUERY,
      {
        id: first.product.shopifyId,
        first: 1,
        after: null,
      },
    );
    expect(data.product.variants.nodes.map((node) => variantFromGraphql(node, data.product.id))).toEqual([
      first.variants[0],
    ]);
  });

  it("rejects a node without a field it maps, naming it", () => {
    expect(() => productFromGraphql({ id: "gid://shopify/Product/1", title: "x", tags: [] })).toThrow(
      /Product node: updatedAt: Required/,
    );
  });
});
