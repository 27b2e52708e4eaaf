// The fields the sync mirrors, once per Admin API type, shared by the bulk and the paged documents
// (./products.ts, ./orders.ts, ./inventory.ts). They select exactly what app/sync/engine/fromGraphql.ts
// maps. Documents name them with `...ProductFields`; ./document.ts adds the definitions a document
// spreads (withFragments) or writes them out in place for bulk queries (bulkQuery, ADR 0036).
//
// Protected customer data (ADR 0023): an order's name, email, phone and address fields carry
// `@include(if: $customerName)` and its siblings; every document spreading OrderFields declares those
// variables, and bindCustomerData (app/sync/engine/customer-data.ts) resolves them before sending.

export const PRODUCT_FIELDS = `#graphql
  fragment ProductFields on Product {
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
  }
`;

export const VARIANT_FIELDS = `#graphql
  fragment VariantFields on ProductVariant {
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
`;

export const LOCATION_FIELDS = `#graphql
  fragment LocationFields on Location {
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
`;

export const INVENTORY_LEVEL_FIELDS = `#graphql
  fragment InventoryLevelFields on InventoryLevel {
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
`;

export const SHOP_MONEY_FIELDS = `#graphql
  fragment ShopMoneyFields on MoneyBag {
    shopMoney {
      amount
      currencyCode
    }
  }
`;

/** An order's billing or shipping address, protected fields behind their switches. */
export const ORDER_ADDRESS_FIELDS = `#graphql
  fragment OrderAddressFields on MailingAddress {
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
`;

/** An order without its line items (a connection: bulk and paged documents select it differently). */
export const ORDER_FIELDS = `#graphql
  fragment OrderFields on Order {
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
      ...OrderAddressFields
    }
    shippingAddress {
      ...OrderAddressFields
    }
    displayFinancialStatus
    displayFulfillmentStatus
    currencyCode
    totalPriceSet {
      ...ShopMoneyFields
    }
    subtotalPriceSet {
      ...ShopMoneyFields
    }
    totalTaxSet {
      ...ShopMoneyFields
    }
    totalDiscountsSet {
      ...ShopMoneyFields
    }
    test
    tags
    processedAt
    cancelledAt
    cancelReason
    closedAt
    createdAt
    updatedAt
  }
`;

export const LINE_ITEM_FIELDS = `#graphql
  fragment LineItemFields on LineItem {
    id
    title
    variantTitle
    sku
    vendor
    quantity
    currentQuantity
    originalUnitPriceSet {
      ...ShopMoneyFields
    }
    product {
      id
    }
    variant {
      id
    }
  }
`;

// A page of a product's variants, an order's line items or a location's levels: the paged documents
// ask for these connections with different arguments and read them the same way.

export const VARIANT_PAGE_FIELDS = `#graphql
  fragment VariantPageFields on ProductVariantConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...VariantFields
    }
  }
`;

export const LINE_ITEM_PAGE_FIELDS = `#graphql
  fragment LineItemPageFields on LineItemConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...LineItemFields
    }
  }
`;

export const INVENTORY_LEVEL_PAGE_FIELDS = `#graphql
  fragment InventoryLevelPageFields on InventoryLevelConnection {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...InventoryLevelFields
    }
  }
`;
