// The reads behind one product's resync and its status (./product-resync.server.ts): the product with
// the fields PRODUCTS_PAGE_QUERY's nodes have (so productFromGraphql maps it), and the inventory
// levels of its variants' inventory items with the fields INVENTORY_LEVELS_PAGE_QUERY's nodes have.
// More than 100 variants continue with PRODUCT_VARIANTS_PAGE_QUERY (app/sync/engine/queries.ts).

export const PRODUCT_RESYNC_QUERY = `#graphql
  query ProductResync($id: ID!) {
    product(id: $id) {
      id
      title
      handle
      vendor
      productType
      status
      tags
      createdAt
      updatedAt
      publishedAt
      variants(first: 100) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          title
          sku
          barcode
          price
          compareAtPrice
          position
          inventoryItem {
            id
          }
          inventoryPolicy
          inventoryQuantity
          selectedOptions {
            name
            value
          }
          taxable
          createdAt
          updatedAt
        }
      }
    }
  }
`;

/**
 * Levels of up to INVENTORY_ITEMS_PER_QUERY inventory items at once: 10 items × 50 levels keeps the
 * requested cost near 520 points, inside the 1,000-point single-query limit.
 */
export const INVENTORY_ITEM_LEVELS_QUERY = `#graphql
  query InventoryItemLevels($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on InventoryItem {
        id
        inventoryLevels(first: 50) {
          pageInfo {
            hasNextPage
          }
          nodes {
            id
            item {
              id
            }
            location {
              id
            }
            quantities(names: ["available", "on_hand", "committed"]) {
              name
              quantity
            }
            updatedAt
          }
        }
      }
    }
  }
`;

export const INVENTORY_ITEMS_PER_QUERY = 10;
