// Id-only pages for reconciliation's deletion check: 2 + f(250)·1 = 13 points a page, so a whole
// catalogue's ids are cheap to list. Validated against the 2026-10 schema by queries.validate.test.ts.

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

export const ORDER_IDS_PAGE_QUERY = `#graphql
  query OrderIdsPage($first: Int!, $after: String, $query: String) {
    orders(first: $first, after: $after, query: $query) {
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

export const LOCATION_IDS_PAGE_QUERY = `#graphql
  query LocationIdsPage($first: Int!, $after: String) {
    locations(first: $first, after: $after, includeInactive: true) {
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

export const INVENTORY_LEVEL_IDS_PAGE_QUERY = `#graphql
  query InventoryLevelIdsPage($locationId: ID!, $first: Int!, $after: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          item {
            id
          }
        }
      }
    }
  }
`;
