// Every Admin GraphQL document the app sends, in one place (ADR 0036). Validated against Shopify's
// 2026-10 Admin schema by operations.validate.test.ts and tests/graphql-documents.test.ts.
import { LOCATIONS_BULK_QUERY } from "./inventory";
import { ORDERS_BULK_QUERY } from "./orders";
import { PRODUCTS_BULK_QUERY } from "./products";

export * from "./bulk-operations";
export { withRootSearch } from "./document";
export * from "./inventory";
export * from "./orders";
export * from "./products";
export * from "./shop";

/** The full sync's bulk query per resource. */
export const BULK_QUERIES = {
  products: PRODUCTS_BULK_QUERY,
  inventory: LOCATIONS_BULK_QUERY,
  orders: ORDERS_BULK_QUERY,
} as const;
