// Orders and their line items: the full sync's bulk query, the incremental sync's pages and
// reconciliation's id-only pages. Fields: ./fragments.ts. Every document spreading OrderFields
// declares the four customer-data switches and is sent only through bindCustomerData (ADR 0023).
// A page of 10 orders with their first 50 line items stays well under the 1,000-point limit.
import { bulkQuery, withFragments } from "./document";

export const ORDERS_BULK_QUERY = bulkQuery(`#graphql
  query OrdersBulk(
    $customerName: Boolean!
    $customerEmail: Boolean!
    $customerPhone: Boolean!
    $customerAddress: Boolean!
  ) {
    orders(sortKey: UPDATED_AT) {
      edges {
        node {
          ...OrderFields
          lineItems {
            edges {
              node {
                ...LineItemFields
              }
            }
          }
        }
      }
    }
  }
`);

export const ORDERS_PAGE_QUERY = withFragments(`#graphql
  query OrdersPage(
    $first: Int!
    $after: String
    $query: String
    $customerName: Boolean!
    $customerEmail: Boolean!
    $customerPhone: Boolean!
    $customerAddress: Boolean!
  ) {
    orders(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...OrderFields
        lineItems(first: 50) {
          ...LineItemPageFields
        }
      }
    }
  }
`);

/** The rest of an order's line items when ORDERS_PAGE_QUERY's first 50 had a next page. */
export const ORDER_LINE_ITEMS_PAGE_QUERY = withFragments(`#graphql
  query OrderLineItemsPage($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      id
      lineItems(first: $first, after: $after) {
        ...LineItemPageFields
      }
    }
  }
`);

/** Reconciliation's deletion check, filtered to the order-history window by `$query`. */
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
