// Locations and inventory levels: the full sync's bulk query, the incremental sync's pages, a product
// resync's levels and reconciliation's id-only pages. Fields: ./fragments.ts.
import { bulkQuery, withFragments } from "./document";

/** Locations (deactivated ones too, so isActive is mirrored) with every inventory level they hold. */
export const LOCATIONS_BULK_QUERY = bulkQuery(`#graphql
  query LocationsBulk {
    locations(includeInactive: true) {
      edges {
        node {
          ...LocationFields
          inventoryLevels {
            edges {
              node {
                ...InventoryLevelFields
              }
            }
          }
        }
      }
    }
  }
`);

export const LOCATIONS_PAGE_QUERY = withFragments(`#graphql
  query LocationsPage($first: Int!, $after: String) {
    locations(first: $first, after: $after, includeInactive: true) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...LocationFields
      }
    }
  }
`);

/** One location's levels, e.g. with `$query: "updated_at:>='…'"` for the incremental sync. */
export const INVENTORY_LEVELS_PAGE_QUERY = withFragments(`#graphql
  query InventoryLevelsPage($locationId: ID!, $first: Int!, $after: String, $query: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: $first, after: $after, query: $query) {
        ...InventoryLevelPageFields
      }
    }
  }
`);

/**
 * Levels of up to INVENTORY_ITEMS_PER_QUERY inventory items at once: 10 items × 50 levels keeps the
 * requested cost near 520 points, inside the 1,000-point single-query limit.
 */
export const INVENTORY_ITEM_LEVELS_QUERY = withFragments(`#graphql
  query InventoryItemLevels($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevels(first: 50) {
          pageInfo {
            hasNextPage
          }
          nodes {
            ...InventoryLevelFields
          }
        }
      }
    }
  }
`);

export const INVENTORY_ITEMS_PER_QUERY = 10;

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
