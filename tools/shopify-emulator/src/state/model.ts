// In-memory records of one shop. Kept deliberately flat and small: a seeded shop can hold 100,000
// products × 5 variants, so records carry per-shop sequence numbers instead of BigInt ids (see ids.ts),
// money as integer cents, times as epoch milliseconds, and inventory levels as columns (arrays indexed
// by inventory-item sequence) rather than one object per level.
import type { Plan } from "../context";

export type ProductStatus = "ACTIVE" | "DRAFT" | "ARCHIVED";

export interface ProductOptionRec {
  name: string;
  values: string[];
}

export interface ProductRec {
  __typename: "Product"; // lets graphql-js resolve the Node interface without a wrapper object
  seq: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: ProductStatus;
  tags: string[];
  descriptionHtml: string;
  options: ProductOptionRec[];
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  variantSeqs: number[];
}

/** A variant and its inventory item (1:1 in Shopify; the item shares the variant's sequence). */
export interface VariantRec {
  __typename: "ProductVariant";
  seq: number;
  productSeq: number;
  title: string;
  sku: string | null;
  barcode: string | null;
  priceCents: number;
  compareAtPriceCents: number | null;
  position: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  optionValues: string[]; // parallel to product.options
  taxable: boolean;
  createdAt: number;
  updatedAt: number;
  tracked: boolean; // inventory item
  itemUpdatedAt: number;
}

export interface AddressRec {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

export interface LocationRec {
  __typename: "Location";
  seq: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  address: AddressRec;
  createdAt: number;
  updatedAt: number;
}

/** Inventory levels at one location, indexed by inventory-item sequence. `undefined` = no level. */
export interface LevelColumns {
  available: number[];
  committed: number[];
  updatedAt: number[];
  createdAt: number[];
}

export interface CustomerRec {
  __typename: "Customer";
  seq: number;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  createdAt: number;
  updatedAt: number;
}

export type FinancialStatus =
  "AUTHORIZED" | "EXPIRED" | "PAID" | "PARTIALLY_PAID" | "PARTIALLY_REFUNDED" | "PENDING" | "REFUNDED" | "VOIDED";
export type FulfillmentStatus = "FULFILLED" | "UNFULFILLED" | "PARTIALLY_FULFILLED" | "IN_PROGRESS";
export type CancelReason = "CUSTOMER" | "DECLINED" | "FRAUD" | "INVENTORY" | "OTHER" | "STAFF";

export interface LineItemRec {
  __typename: "LineItem";
  seq: number;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  currentQuantity: number;
  unitPriceCents: number;
  discountCents: number; // allocated to the whole line
  taxCents: number;
  productSeq: number | null;
  variantSeq: number | null;
  taxable: boolean;
  requiresShipping: boolean;
}

export interface OrderRec {
  __typename: "Order";
  seq: number;
  number: number; // 1001 → name "#1001"
  email: string | null;
  phone: string | null;
  customerSeq: number | null;
  billingAddress: AddressRec | null;
  shippingAddress: AddressRec | null;
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: CancelReason | null;
  closedAt: number | null;
  financialStatus: FinancialStatus;
  fulfillmentStatus: FulfillmentStatus;
  test: boolean;
  tags: string[];
  note: string | null;
  lineItems: LineItemRec[];
  // Totals in cents: total = lineItems − discounts + shipping + tax.
  lineItemsCents: number;
  discountCents: number;
  shippingCents: number;
  taxCents: number;
  totalCents: number;
  receivedCents: number;
}

export interface WebhookSubscriptionRec {
  __typename: "WebhookSubscription";
  seq: number;
  topic: string; // enum form, e.g. PRODUCTS_UPDATE
  uri: string;
  name: string | null;
  filter: string | null;
  format: "JSON" | "XML";
  includeFields: string[];
  metafieldNamespaces: string[];
  apiVersion: string;
  createdAt: number;
  updatedAt: number;
}

export type BulkStatus = "CREATED" | "RUNNING" | "COMPLETED" | "CANCELING" | "CANCELED" | "FAILED" | "EXPIRED";
export type BulkErrorCode = "ACCESS_DENIED" | "INTERNAL_SERVER_ERROR" | "TIMEOUT";

export interface BulkOperationRec {
  __typename: "BulkOperation";
  seq: number;
  status: BulkStatus;
  type: "QUERY" | "MUTATION";
  query: string;
  groupObjects: boolean;
  errorCode: BulkErrorCode | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  fileSize: number | null;
  filePath: string | null;
  url: string | null;
  partialDataUrl: string | null;
  apiKey: string; // the app that ran it
}

export interface InstallationRec {
  installed: boolean;
  scopes: string[];
  installedAt: number | null;
  uninstalledAt: number | null;
}

export interface ShopRec {
  no: number; // id-space number, see ids.ts
  domain: string; // myshopify domain
  name: string;
  email: string;
  plan: Plan;
  currencyCode: string;
  ianaTimezone: string;
  primaryDomainHost: string;
  createdAt: number;
  updatedAt: number;
  installation: InstallationRec;
  /** Tokens registered through the control API (used when no oauth surface validates them). */
  accessTokens: Map<string, string[]>;
  /** Protected customer data approval per app (api key); absent = everything (customer-data.ts). */
  customerDataAccess?: Record<
    string,
    { level: "none" | "level1" | "level2"; fields: Array<"name" | "email" | "phone" | "address"> }
  >;
  products: Array<ProductRec | undefined>;
  variants: Array<VariantRec | undefined>;
  locations: LocationRec[];
  levels: LevelColumns[]; // parallel to locations
  customers: Array<CustomerRec | undefined>;
  orders: Array<OrderRec | undefined>;
  webhookSubscriptions: Array<WebhookSubscriptionRec | undefined>;
  bulkOperations: Array<BulkOperationRec | undefined>;
  nextLineItemSeq: number;
  nextOrderNumber: number;
  /** Bumped by every mutation; sorted-list caches are keyed by it. */
  version: number;
  cache: Map<string, { version: number; value: unknown }>;
}
