// The GraphQL documents the sync sends, validated against Shopify's 2026-10 Admin schema by
// queries.validate.test.ts (and tests/graphql-documents.test.ts). They select exactly what
// from-graphql.ts maps, and nothing the mappers do not use.
//
// Bulk documents follow Shopify's bulk rules: edges { node }, at most 5 connections, nesting at most 2,
// a parent `id` on nested connections; `first`/`after` would be ignored, so there are none. Bulk
// queries take no variables, so a search filter is set on the parsed document (withRootSearch), never
// by pasting text into it.
//
// Page documents are for the incremental sync: sorted by UPDATED_AT, filtered by `$query`
// (e.g. "updated_at:>='2026-01-01T00:00:00Z'"), children in the same request up to a page, the rest
// through the *_PAGE documents below. Children's first: 100 / 50 keeps a page of 10 parents well under
// the 1000-point single-query limit (see the cost notes in the test).
//
// Protected customer data (ADR 0023): an order's name, email, phone and address fields carry
// `@include(if: $customerName)` and its siblings. Documents are sent only through
// bindCustomerData(document, policy) (./customer-data.ts), which resolves those switches for the
// configured customer-data level, so what is requested is exactly what the app may have.
import { Kind, parse, print, visit, type ArgumentNode } from "graphql";

export const PRODUCTS_BULK_QUERY = `#graphql
  query ProductsBulk {
    products {
      edges {
        node {
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
          variants {
            edges {
              node {
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
      }
    }
  }
`;

export const PRODUCTS_PAGE_QUERY = `#graphql
  query ProductsPage($first: Int!, $after: String, $query: String) {
    products(first: $first, after: $after, sortKey: UPDATED_AT, query: $query) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
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
  }
`;

/** The rest of a product's variants when PRODUCTS_PAGE_QUERY's first 100 had a next page. */
export const PRODUCT_VARIANTS_PAGE_QUERY = `#graphql
  query ProductVariantsPage($id: ID!, $first: Int!, $after: String) {
    product(id: $id) {
      id
      variants(first: $first, after: $after) {
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

/** Locations (deactivated ones too, so isActive is mirrored) with every inventory level they hold. */
export const LOCATIONS_BULK_QUERY = `#graphql
  query LocationsBulk {
    locations(includeInactive: true) {
      edges {
        node {
          id
          name
          isActive
          updatedAt
          address {
            address1
            address2
            city
            province
            provinceCode
            country
            countryCode
            zip
            phone
          }
          inventoryLevels {
            edges {
              node {
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
    }
  }
`;

export const LOCATIONS_PAGE_QUERY = `#graphql
  query LocationsPage($first: Int!, $after: String) {
    locations(first: $first, after: $after, includeInactive: true) {
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        name
        isActive
        updatedAt
        address {
          address1
          address2
          city
          province
          provinceCode
          country
          countryCode
          zip
          phone
        }
      }
    }
  }
`;

/** One location's levels, e.g. with `$query: "updated_at:>='…'"` for the incremental sync. */
export const INVENTORY_LEVELS_PAGE_QUERY = `#graphql
  query InventoryLevelsPage($locationId: ID!, $first: Int!, $after: String, $query: String) {
    location(id: $locationId) {
      id
      inventoryLevels(first: $first, after: $after, query: $query) {
        pageInfo {
          hasNextPage
          endCursor
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
`;

export const ORDERS_BULK_QUERY = `#graphql
  query OrdersBulk(
    $customerName: Boolean!
    $customerEmail: Boolean!
    $customerPhone: Boolean!
    $customerAddress: Boolean!
  ) {
    orders(sortKey: UPDATED_AT) {
      edges {
        node {
          id
          name
          number
          email @include(if: $customerEmail)
          phone @include(if: $customerPhone)
          customer {
            id
            firstName @include(if: $customerName)
            lastName @include(if: $customerName)
          }
          billingAddress {
            firstName @include(if: $customerName)
            lastName @include(if: $customerName)
            name @include(if: $customerName)
            company
            address1 @include(if: $customerAddress)
            address2 @include(if: $customerAddress)
            city
            province
            provinceCode
            country
            countryCodeV2
            zip @include(if: $customerAddress)
            phone @include(if: $customerPhone)
          }
          shippingAddress {
            firstName @include(if: $customerName)
            lastName @include(if: $customerName)
            name @include(if: $customerName)
            company
            address1 @include(if: $customerAddress)
            address2 @include(if: $customerAddress)
            city
            province
            provinceCode
            country
            countryCodeV2
            zip @include(if: $customerAddress)
            phone @include(if: $customerPhone)
          }
          displayFinancialStatus
          displayFulfillmentStatus
          currencyCode
          totalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          subtotalPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          totalTaxSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          totalDiscountsSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          test
          tags
          processedAt
          cancelledAt
          cancelReason
          closedAt
          createdAt
          updatedAt
          lineItems {
            edges {
              node {
                id
                title
                variantTitle
                sku
                vendor
                quantity
                currentQuantity
                originalUnitPriceSet {
                  shopMoney {
                    amount
                    currencyCode
                  }
                }
                product {
                  id
                }
                variant {
                  id
                }
              }
            }
          }
        }
      }
    }
  }
`;

export const ORDERS_PAGE_QUERY = `#graphql
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
        id
        name
        number
        email @include(if: $customerEmail)
        phone @include(if: $customerPhone)
        customer {
          id
          firstName @include(if: $customerName)
          lastName @include(if: $customerName)
        }
        billingAddress {
          firstName @include(if: $customerName)
          lastName @include(if: $customerName)
          name @include(if: $customerName)
          company
          address1 @include(if: $customerAddress)
          address2 @include(if: $customerAddress)
          city
          province
          provinceCode
          country
          countryCodeV2
          zip @include(if: $customerAddress)
          phone @include(if: $customerPhone)
        }
        shippingAddress {
          firstName @include(if: $customerName)
          lastName @include(if: $customerName)
          name @include(if: $customerName)
          company
          address1 @include(if: $customerAddress)
          address2 @include(if: $customerAddress)
          city
          province
          provinceCode
          country
          countryCodeV2
          zip @include(if: $customerAddress)
          phone @include(if: $customerPhone)
        }
        displayFinancialStatus
        displayFulfillmentStatus
        currencyCode
        totalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        subtotalPriceSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        totalTaxSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        totalDiscountsSet {
          shopMoney {
            amount
            currencyCode
          }
        }
        test
        tags
        processedAt
        cancelledAt
        cancelReason
        closedAt
        createdAt
        updatedAt
        lineItems(first: 50) {
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            title
            variantTitle
            sku
            vendor
            quantity
            currentQuantity
            originalUnitPriceSet {
              shopMoney {
                amount
                currencyCode
              }
            }
            product {
              id
            }
            variant {
              id
            }
          }
        }
      }
    }
  }
`;

/** The rest of an order's line items when ORDERS_PAGE_QUERY's first 50 had a next page. */
export const ORDER_LINE_ITEMS_PAGE_QUERY = `#graphql
  query OrderLineItemsPage($id: ID!, $first: Int!, $after: String) {
    order(id: $id) {
      id
      lineItems(first: $first, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          title
          variantTitle
          sku
          vendor
          quantity
          currentQuantity
          originalUnitPriceSet {
            shopMoney {
              amount
              currencyCode
            }
          }
          product {
            id
          }
          variant {
            id
          }
        }
      }
    }
  }
`;

export const BULK_QUERIES = {
  products: PRODUCTS_BULK_QUERY,
  inventory: LOCATIONS_BULK_QUERY,
  orders: ORDERS_BULK_QUERY,
} as const;

/**
 * A bulk document with a search filter on its top-level connection (`orders(query: "…")`), set on the
 * parsed document so the value is escaped by the printer: bulk queries take no variables, and pasting
 * text into the document would let a quote in the value change the query.
 */
export function withRootSearch(document: string, search: string): string {
  const ast = parse(document.replace(/^#graphql\s*/, ""));
  let depth = 0;
  const edited = visit(ast, {
    Field: {
      enter(field) {
        depth++;
        if (depth !== 1) return undefined;
        const argument: ArgumentNode = {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: "query" },
          value: { kind: Kind.STRING, value: search },
        };
        return {
          ...field,
          arguments: [...(field.arguments ?? []).filter((a) => a.name.value !== "query"), argument],
        };
      },
      leave() {
        depth--;
      },
    },
  });
  return print(edited);
}
