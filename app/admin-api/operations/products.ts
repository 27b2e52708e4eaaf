// Products and their variants: the full sync's bulk query, the incremental sync's pages, one
// product's resync and reconciliation's id-only pages. Fields: ./fragments.ts.
//
// Page documents are sorted by UPDATED_AT and filtered by `$query` (e.g.
// "updated_at:>='2026-01-01T00:00:00Z'"); a page of 10 products with their first 100 variants stays
// well under the 1,000-point single-query limit, and the rest of a product's variants come through
// PRODUCT_VARIANTS_PAGE_QUERY.
import { bulkQuery, withFragments } from "./document";

/** Bulk rules (Shopify's guide): edges { node }, a parent `id` on nested connections, no `first`. */
export const PRODUCTS_BULK_QUERY = bulkQuery(`#graphql
  query ProductsBulk {
    products {
      edges {
        node {
          ...ProductFields
          variants {
            edges {
              node {
                ...VariantFields
              }
            }
          }
        }
      }
    }
  }
`);

export const PRODUCTS_PAGE_QUERY = withFragments(`#graphql
  query ProductsPage($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...ProductFields
        variants(first: 100) {
          ...VariantPageFields
        }
      }
    }
  }
`);

/** The rest of a product's variants when the first 100 had a next page. */
export const PRODUCT_VARIANTS_PAGE_QUERY = withFragments(`#graphql
  query ProductVariantsPage($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      id
      variants(first: $first, after: $after) {
        ...VariantPageFields
      }
    }
  }
`);

/** One product for its resync (app/sync/product-resync/), mapped like a PRODUCTS_PAGE_QUERY node. */
export const PRODUCT_RESYNC_QUERY = withFragments(`#graphql
  query ProductResync($id: ID!) {
    product(id: $id) {
      ...ProductFields
      variants(first: 100) {
        ...VariantPageFields
      }
    }
  }
`);

/** Reconciliation's deletion check: 2 + f(250)·1 = 13 points a page. */
export const PRODUCT_IDS_PAGE_QUERY = `#graphql
  query ProductIdsPage($first: Int!, $after: String) {
    products(first: $first, after: $after) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
      }
    }
  }
`;
