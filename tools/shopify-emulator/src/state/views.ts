// Plain-JSON views of store records: what the control API returns (`GET /__emulator/shops/:shop/store`)
// and what StoreChange events carry in `resource`. Ids are decimal strings (never JS numbers: many
// exceed 2^53), GIDs are given alongside, times are ISO-8601 UTC, money is decimal strings.
import { gid, levelId, makeId } from "./ids";
import { formatMoney } from "./money";
import type {
  AddressRec,
  BulkOperationRec,
  CustomerRec,
  LineItemRec,
  LocationRec,
  OrderRec,
  ProductRec,
  ShopRec,
  VariantRec,
} from "./model";

export const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
export const isoOrNull = (ms: number | null): string | null => (ms == null ? null : iso(ms));

export interface ShopView {
  id: string;
  gid: string;
  domain: string;
  name: string;
  email: string;
  plan: string;
  currencyCode: string;
  ianaTimezone: string;
  primaryDomain: string;
  createdAt: string;
  updatedAt: string;
  installation: { installed: boolean; scopes: string[]; installedAt: string | null; uninstalledAt: string | null };
}

export function shopView(s: ShopRec): ShopView {
  const id = makeId("Shop", s.no, 0);
  return {
    id: String(id),
    gid: gid("Shop", id),
    domain: s.domain,
    name: s.name,
    email: s.email,
    plan: s.plan,
    currencyCode: s.currencyCode,
    ianaTimezone: s.ianaTimezone,
    primaryDomain: s.primaryDomainHost,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    installation: {
      installed: s.installation.installed,
      scopes: [...s.installation.scopes],
      installedAt: isoOrNull(s.installation.installedAt),
      uninstalledAt: isoOrNull(s.installation.uninstalledAt),
    },
  };
}

export interface VariantView {
  id: string;
  gid: string;
  productId: string;
  title: string;
  sku: string | null;
  barcode: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number;
  inventoryPolicy: string;
  selectedOptions: Array<{ name: string; value: string }>;
  taxable: boolean;
  inventoryItemId: string;
  inventoryItemTracked: boolean;
  inventoryQuantity: number;
  createdAt: string;
  updatedAt: string;
}

export interface ProductView {
  id: string;
  gid: string;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: string;
  tags: string[];
  descriptionHtml: string;
  options: Array<{ name: string; position: number; values: string[] }>;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  variants: VariantView[];
}

export function totalAvailable(s: ShopRec, itemSeq: number): number {
  let n = 0;
  for (const col of s.levels) n += col.available[itemSeq] ?? 0;
  return n;
}

export function variantView(s: ShopRec, v: VariantRec, p: ProductRec): VariantView {
  const id = makeId("ProductVariant", s.no, v.seq);
  const pid = makeId("Product", s.no, v.productSeq);
  return {
    id: String(id),
    gid: gid("ProductVariant", id),
    productId: String(pid),
    title: v.title,
    sku: v.sku,
    barcode: v.barcode,
    price: formatMoney(v.priceCents),
    compareAtPrice: v.compareAtPriceCents == null ? null : formatMoney(v.compareAtPriceCents),
    position: v.position,
    inventoryPolicy: v.inventoryPolicy,
    selectedOptions: p.options.map((o, i) => ({ name: o.name, value: v.optionValues[i] ?? "" })),
    taxable: v.taxable,
    inventoryItemId: String(makeId("InventoryItem", s.no, v.seq)),
    inventoryItemTracked: v.tracked,
    inventoryQuantity: totalAvailable(s, v.seq),
    createdAt: iso(v.createdAt),
    updatedAt: iso(v.updatedAt),
  };
}

export function productView(s: ShopRec, p: ProductRec): ProductView {
  const id = makeId("Product", s.no, p.seq);
  return {
    id: String(id),
    gid: gid("Product", id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: [...p.tags],
    descriptionHtml: p.descriptionHtml,
    options: p.options.map((o, i) => ({ name: o.name, position: i + 1, values: [...o.values] })),
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    publishedAt: isoOrNull(p.publishedAt),
    variants: p.variantSeqs.flatMap((vs) => {
      const v = s.variants[vs];
      return v ? [variantView(s, v, p)] : [];
    }),
  };
}

export interface InventoryLevelView {
  id: string; // level id (decimal)
  gid: string; // gid://shopify/InventoryLevel/<levelId>?inventory_item_id=<itemId>
  inventoryItemId: string;
  locationId: string;
  variantId: string;
  sku: string | null;
  available: number;
  onHand: number;
  committed: number;
  updatedAt: string;
}

export function levelView(s: ShopRec, itemSeq: number, locIdx: number): InventoryLevelView | undefined {
  const col = s.levels[locIdx];
  const v = s.variants[itemSeq];
  if (!col || !v || col.available[itemSeq] === undefined) return undefined;
  const lid = levelId(s.no, itemSeq, locIdx);
  const itemId = makeId("InventoryItem", s.no, itemSeq);
  const available = col.available[itemSeq] ?? 0;
  const committed = col.committed[itemSeq] ?? 0;
  return {
    id: String(lid),
    gid: `gid://shopify/InventoryLevel/${lid}?inventory_item_id=${itemId}`,
    inventoryItemId: String(itemId),
    locationId: String(makeId("Location", s.no, locIdx)),
    variantId: String(makeId("ProductVariant", s.no, itemSeq)),
    sku: v.sku,
    available,
    onHand: available + committed,
    committed,
    updatedAt: iso(col.updatedAt[itemSeq] ?? 0),
  };
}

export interface LocationView {
  id: string;
  gid: string;
  name: string;
  isActive: boolean;
  address: AddressRec;
  createdAt: string;
  updatedAt: string;
}

export function locationView(s: ShopRec, l: LocationRec): LocationView {
  const id = makeId("Location", s.no, l.seq);
  return {
    id: String(id),
    gid: gid("Location", id),
    name: l.name,
    isActive: l.isActive,
    address: { ...l.address },
    createdAt: iso(l.createdAt),
    updatedAt: iso(l.updatedAt),
  };
}

export interface CustomerView {
  id: string;
  gid: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
}

export function customerView(s: ShopRec, c: CustomerRec): CustomerView {
  const id = makeId("Customer", s.no, c.seq);
  return {
    id: String(id),
    gid: gid("Customer", id),
    firstName: c.firstName,
    lastName: c.lastName,
    email: c.email,
    phone: c.phone,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
  };
}

export interface LineItemView {
  id: string;
  gid: string;
  title: string;
  variantTitle: string | null;
  sku: string | null;
  vendor: string | null;
  quantity: number;
  currentQuantity: number;
  originalUnitPrice: string;
  totalDiscount: string;
  tax: string;
  productId: string | null;
  variantId: string | null;
  taxable: boolean;
}

export interface OrderView {
  id: string;
  gid: string;
  name: string;
  number: number;
  email: string | null;
  phone: string | null;
  customer: CustomerView | null;
  billingAddress: AddressRec | null;
  shippingAddress: AddressRec | null;
  createdAt: string;
  updatedAt: string;
  processedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  closedAt: string | null;
  displayFinancialStatus: string;
  displayFulfillmentStatus: string;
  currencyCode: string;
  totalLineItemsPrice: string;
  subtotalPrice: string;
  totalDiscounts: string;
  totalShippingPrice: string;
  totalTax: string;
  totalPrice: string;
  test: boolean;
  tags: string[];
  note: string | null;
  lineItems: LineItemView[];
}

export function lineItemView(s: ShopRec, li: LineItemRec): LineItemView {
  const id = makeId("LineItem", s.no, li.seq);
  return {
    id: String(id),
    gid: gid("LineItem", id),
    title: li.title,
    variantTitle: li.variantTitle,
    sku: li.sku,
    vendor: li.vendor,
    quantity: li.quantity,
    currentQuantity: li.currentQuantity,
    originalUnitPrice: formatMoney(li.unitPriceCents),
    totalDiscount: formatMoney(li.discountCents),
    tax: formatMoney(li.taxCents),
    productId: li.productSeq == null ? null : String(makeId("Product", s.no, li.productSeq)),
    variantId: li.variantSeq == null ? null : String(makeId("ProductVariant", s.no, li.variantSeq)),
    taxable: li.taxable,
  };
}

export function orderView(s: ShopRec, o: OrderRec): OrderView {
  const id = makeId("Order", s.no, o.seq);
  const c = o.customerSeq == null ? undefined : s.customers[o.customerSeq];
  return {
    id: String(id),
    gid: gid("Order", id),
    name: `#${o.number}`,
    number: o.number,
    email: o.email,
    phone: o.phone,
    customer: c ? customerView(s, c) : null,
    billingAddress: o.billingAddress ? { ...o.billingAddress } : null,
    shippingAddress: o.shippingAddress ? { ...o.shippingAddress } : null,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    processedAt: iso(o.processedAt),
    cancelledAt: isoOrNull(o.cancelledAt),
    cancelReason: o.cancelReason,
    closedAt: isoOrNull(o.closedAt),
    displayFinancialStatus: o.financialStatus,
    displayFulfillmentStatus: o.fulfillmentStatus,
    currencyCode: s.currencyCode,
    totalLineItemsPrice: formatMoney(o.lineItemsCents),
    subtotalPrice: formatMoney(o.lineItemsCents - o.discountCents),
    totalDiscounts: formatMoney(o.discountCents),
    totalShippingPrice: formatMoney(o.shippingCents),
    totalTax: formatMoney(o.taxCents),
    totalPrice: formatMoney(o.totalCents),
    test: o.test,
    tags: [...o.tags],
    note: o.note,
    lineItems: o.lineItems.map((li) => lineItemView(s, li)),
  };
}

export interface BulkOperationView {
  id: string;
  gid: string;
  status: string;
  errorCode: string | null;
  type: string;
  createdAt: string;
  completedAt: string | null;
  objectCount: string;
  rootObjectCount: string;
  fileSize: string | null;
  url: string | null;
  partialDataUrl: string | null;
  query: string;
}

export function bulkOperationView(s: ShopRec, b: BulkOperationRec): BulkOperationView {
  const id = makeId("BulkOperation", s.no, b.seq);
  return {
    id: String(id),
    gid: gid("BulkOperation", id),
    status: b.status,
    errorCode: b.errorCode,
    type: b.type,
    createdAt: iso(b.createdAt),
    completedAt: isoOrNull(b.completedAt),
    objectCount: String(b.objectCount),
    rootObjectCount: String(b.rootObjectCount),
    fileSize: b.fileSize == null ? null : String(b.fileSize),
    url: b.url,
    partialDataUrl: b.partialDataUrl,
    query: b.query,
  };
}

/** The whole store of one shop, for tests that compare the app's database with it. */
export function storeDump(s: ShopRec) {
  const locations = s.locations.map((l) => locationView(s, l));
  const inventoryLevels: InventoryLevelView[] = [];
  for (let li = 0; li < s.locations.length; li++) {
    for (let i = 0; i < s.variants.length; i++) {
      const v = levelView(s, i, li);
      if (v) inventoryLevels.push(v);
    }
  }
  return {
    shop: shopView(s),
    products: s.products.flatMap((p) => (p ? [productView(s, p)] : [])),
    locations,
    inventoryLevels,
    customers: s.customers.flatMap((c) => (c ? [customerView(s, c)] : [])),
    orders: s.orders.flatMap((o) => (o ? [orderView(s, o)] : [])),
  };
}
