// The queries Shop Sync sends to the Admin API must be costable, and under the 1,000-point limit.
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../../admin-schema/admin-schema";
import { MAX_QUERY_COST, computeRequestedCost } from "./requested-cost";

const schema = loadAdminSchema();

const APP_QUERIES: Record<string, { query: string; variables?: Record<string, unknown> }> = {
  productsWithVariants: {
    query: `query Products($first: Int!, $after: String, $variantsFirst: Int!) {
      products(first: $first, after: $after) {
        nodes { id title handle status vendor productType tags updatedAt
          variants(first: $variantsFirst) { nodes { id title sku price compareAtPrice inventoryQuantity
            selectedOptions { name value } inventoryItem { id tracked } } pageInfo { hasNextPage endCursor } } }
        pageInfo { hasNextPage endCursor } } }`,
    variables: { first: 250, after: null, variantsFirst: 100 },
  },
  ordersWithLineItems: {
    query: `query Orders($first: Int!, $query: String) {
      orders(first: $first, query: $query, sortKey: UPDATED_AT) {
        edges { cursor node { id name createdAt updatedAt displayFinancialStatus displayFulfillmentStatus
          totalPriceSet { shopMoney { amount currencyCode } }
          customer { id email }
          lineItems(first: 50) { nodes { id title quantity sku variant { id } originalUnitPriceSet { shopMoney { amount } } } } } }
        pageInfo { hasNextPage endCursor } } }`,
    variables: { first: 50, query: "updated_at:>2026-01-01" },
  },
  inventory: {
    query: `query Inventory($first: Int!) {
      inventoryItems(first: $first) { nodes { id sku tracked
        inventoryLevels(first: 10) { nodes { id location { id name } quantities(names: ["available", "on_hand"]) { name quantity } } } } } }`,
    variables: { first: 100 },
  },
  locations: { query: `{ locations(first: 50) { nodes { id name isActive address { countryCode } } } }` },
  shop: {
    query: `{ shop { id name myshopifyDomain currencyCode ianaTimezone plan { partnerDevelopment shopifyPlus } } }`,
  },
  webhookSubscriptions: {
    query: `{ webhookSubscriptions(first: 100) { nodes { id topic format uri createdAt } pageInfo { hasNextPage } } }`,
  },
  bulkOperationRunQuery: {
    query: `mutation Bulk($query: String!) { bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } } }`,
    variables: { query: "{ products { edges { node { id } } } }" },
  },
  bulkOperation: {
    query: `query BulkStatus($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount fileSize url partialDataUrl createdAt completedAt } }`,
    variables: { id: "gid://shopify/BulkOperation/1" },
  },
};

describe("the app's own Admin API queries", () => {
  for (const [name, { query, variables }] of Object.entries(APP_QUERIES)) {
    it(`${name} is costed and allowed`, () => {
      const requested = computeRequestedCost(schema, query, { variables });
      expect(requested).toBeGreaterThan(0);
      expect(requested).toBeLessThanOrEqual(MAX_QUERY_COST);
    });
  }

  it("prices the big sync pages as the rule says", () => {
    const products = APP_QUERIES["productsWithVariants"];
    // variant node: 1 + selectedOptions 1 + inventoryItem 1 = 3; variants(100): 2 + 9 × 3 = 29;
    // product node: 1 + 29 = 30; products(250): 2 + 11 × 30 = 332
    expect(products && computeRequestedCost(schema, products.query, { variables: products.variables })).toBe(332);
    const bulk = APP_QUERIES["bulkOperationRunQuery"];
    expect(bulk && computeRequestedCost(schema, bulk.query, { variables: bulk.variables })).toBe(10);
  });
});
