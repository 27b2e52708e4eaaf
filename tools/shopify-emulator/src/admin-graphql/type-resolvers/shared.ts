// What the per-type resolvers (./*.ts) share: the request context, the resolver shapes, and the
// lookups, lists and sorts several types use. ../resolvers.ts assembles the table.
import { GraphQLError } from "graphql";
import { customerDataAccessOf, fieldDenial } from "../../customer-data";
import { type EmulatedApp } from "../../context";
import { gid, levelId, levelOf, makeId, parseGid, seqOf, type Kind } from "../../state/ids";
import {
  type AddressRec,
  type BulkOperationRec,
  type OrderRec,
  type ProductRec,
  type ShopRec,
  type VariantRec,
} from "../../state/model";
import { formatDecimal } from "../../state/money";
import { type Store } from "../../state/store";
import { fromArray, type ListSpec, type SortValue } from "../connection";
import { compileSearch, type FieldSpec, type SearchWarning } from "../search";

// ---- request context ---------------------------------------------------------------------------

export interface BulkApi {
  run(
    rc: RequestContext,
    query: string,
    groupObjects: boolean,
  ): { bulkOperation: BulkOperationRec | null; userErrors: BulkUserError[] };
  cancel(
    rc: RequestContext,
    op: BulkOperationRec,
  ): { bulkOperation: BulkOperationRec | null; userErrors: Array<{ field: string[] | null; message: string }> };
}

export interface BulkUserError {
  field: string[] | null;
  message: string;
  code: "INVALID" | "LIMIT_REACHED" | "OPERATION_IN_PROGRESS" | null;
}

export interface RequestContext {
  store: Store;
  shop: ShopRec;
  app: EmulatedApp;
  /** Granted scopes of the calling token; null = not known, everything allowed. */
  scopes: string[] | null;
  now(): number;
  bulk: BulkApi;
  /** Set while a bulk operation runs: connections ignore first/last and are walked entirely. */
  bulkMode: boolean;
  searchWarnings: Array<{ path: Array<string | number>; query: string; warnings: SearchWarning[] }>;
}

// ---- building blocks -----------------------------------------------------------------------------

export type Src = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- sources differ per type
export type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Resolver = (source: Src, args: Args, rc: RequestContext) => unknown;

export interface ConnectionDef {
  kind: "connection";
  list(source: Src, args: Args, rc: RequestContext): ListSpec<unknown>;
}

export type FieldDef = Resolver | ConnectionDef;

export function isConnectionDef(d: FieldDef | undefined): d is ConnectionDef {
  return typeof d === "object" && d !== null && d.kind === "connection";
}

export const conn = (list: ConnectionDef["list"]): ConnectionDef => ({ kind: "connection", list });

/** Fields read straight off plain objects (MoneyV2, Count, payloads…). */
export function plain(...names: string[]): Record<string, Resolver> {
  return Object.fromEntries(names.map((n) => [n, (s: Src) => s[n] ?? null]));
}

export const g = (rc: RequestContext, kind: Kind, seq: number) => gid(kind, makeId(kind, rc.shop.no, seq));
export const legacy = (rc: RequestContext, kind: Kind, seq: number) => String(makeId(kind, rc.shop.no, seq));

export function moneyV2(cents: number, currencyCode: string) {
  return { amount: formatDecimal(cents), currencyCode };
}
export function moneyBag(rc: RequestContext, cents: number) {
  const m = moneyV2(cents, rc.shop.currencyCode);
  return { shopMoney: m, presentmentMoney: m };
}

export function hasScope(rc: RequestContext, scope: string): boolean {
  if (rc.scopes === null) return true;
  const [verb, resource] = scope.split("_", 2) as [string, string];
  // write_x implies read_x, as in Shopify.
  return rc.scopes.includes(scope) || (verb === "read" && rc.scopes.includes(`write_${resource}`));
}

export function requireScope(rc: RequestContext, scope: string, field: string): void {
  if (hasScope(rc, scope)) return;
  throw new GraphQLError(`Access denied for ${field} field. Required access: \`${scope}\` access scope.`, {
    extensions: {
      code: "ACCESS_DENIED",
      documentation: "https://shopify.dev/api/usage/access-scopes",
      requiredAccess: `\`${scope}\` access scope.`,
    },
  });
}

/** Without read_all_orders, Shopify only shows orders from the last 60 days. */
export function orderVisible(rc: RequestContext, o: OrderRec): boolean {
  return hasScope(rc, "read_all_orders") || o.createdAt >= rc.now() - 60 * 86_400_000;
}

export function seqFromGid(rc: RequestContext, kind: Kind, id: string): number | undefined {
  const p = parseGid(String(id));
  if (!p) throw invalidGid(id);
  if (p.kind !== kind) return undefined;
  return seqOf(kind, rc.shop.no, p.id);
}

export function invalidGid(id: unknown): GraphQLError {
  return new GraphQLError(`Invalid global id '${String(id)}'`, {
    extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
  });
}

export function sortKeyNotImplemented(sortKey: string): GraphQLError {
  return new GraphQLError(`sortKey ${sortKey} is not implemented by the Shop Sync emulator`, {
    extensions: { code: "NOT_IMPLEMENTED_BY_EMULATOR" },
  });
}

export interface SortDef<T> {
  value(item: T, rc: RequestContext): SortValue;
  kind: "number" | "string" | "bigint";
  /** Fast comparator for sorting (ties broken by seq, which follows id order). */
  cmp?(a: T, b: T): number;
}

/** Sorted + filtered list of a root collection, with the sort cached until the shop changes. */
export function collection<T extends { seq: number }>(
  rc: RequestContext,
  name: string,
  all: () => T[],
  idKind: Kind,
  sorts: Record<string, SortDef<T>>,
  sortKey: string,
  args: Args,
  search?: { fields: Record<string, FieldSpec<T>>; freeText?: (item: T) => string; path: string },
  visible?: (item: T) => boolean,
): ListSpec<T> {
  const key = sortKey === "RELEVANCE" ? "ID" : sortKey;
  const sort = sorts[key];
  if (!sort) throw sortKeyNotImplemented(sortKey);
  const sorted = rc.store.cached(rc.shop, `${name}:${key}`, () => {
    const items = all();
    if (key !== "ID") {
      const c =
        sort.cmp ??
        ((a: T, b: T) => {
          const va = sort.value(a, rc);
          const vb = sort.value(b, rc);
          return va < vb ? -1 : va > vb ? 1 : a.seq - b.seq;
        });
      items.sort(c);
    }
    return items;
  });
  let items: readonly T[] = sorted;
  if (search && typeof args.query === "string" && args.query.trim()) {
    const compiled = compileSearch(args.query, search.fields, search.freeText);
    if (compiled.warnings.length)
      rc.searchWarnings.push({ path: [search.path], query: args.query, warnings: compiled.warnings });
    items = sorted.filter(compiled.match);
  }
  if (visible) items = items.filter(visible);
  return fromArray(items, {
    id: (it) => makeId(idKind, rc.shop.no, it.seq),
    value: key === "ID" ? (it) => makeId(idKind, rc.shop.no, it.seq) : (it) => sort.value(it, rc),
    valueKind: key === "ID" ? "bigint" : sort.kind,
    reverse: !!args.reverse,
  });
}

export const live = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);
export const ID_SORT = { value: () => 0, kind: "bigint" as const };
export const num = <T>(f: (x: T) => number): SortDef<T> => ({
  value: f,
  kind: "number",
  cmp: (a, b) => f(a) - f(b) || (a as { seq: number }).seq - (b as { seq: number }).seq,
});
export const str = <T>(f: (x: T) => string): SortDef<T> => ({ value: (x) => f(x).toLowerCase(), kind: "string" });

// ---- search field tables -----------------------------------------------------------------------

export function productFields(rc: RequestContext): Record<string, FieldSpec<ProductRec>> {
  return {
    id: { kind: "id", get: (p) => makeId("Product", rc.shop.no, p.seq) },
    updated_at: { kind: "date", get: (p) => p.updatedAt },
    created_at: { kind: "date", get: (p) => p.createdAt },
    published_at: { kind: "date", get: (p) => p.publishedAt },
    status: { kind: "enum", get: (p) => p.status },
    title: { kind: "string", get: (p) => p.title },
    handle: { kind: "string", get: (p) => p.handle },
    vendor: { kind: "string", get: (p) => p.vendor },
    product_type: { kind: "string", get: (p) => p.productType },
    tag: { kind: "tags", get: (p) => p.tags },
    sku: { kind: "tags", get: (p) => p.variantSeqs.map((v) => rc.shop.variants[v]?.sku ?? "").filter(Boolean) },
  };
}

export function variantFields(rc: RequestContext): Record<string, FieldSpec<VariantRec>> {
  return {
    id: { kind: "id", get: (v) => makeId("ProductVariant", rc.shop.no, v.seq) },
    product_id: { kind: "id", get: (v) => makeId("Product", rc.shop.no, v.productSeq) },
    sku: { kind: "string", get: (v) => v.sku },
    barcode: { kind: "string", get: (v) => v.barcode },
    title: { kind: "string", get: (v) => v.title },
    updated_at: { kind: "date", get: (v) => v.updatedAt },
    created_at: { kind: "date", get: (v) => v.createdAt },
    product_status: { kind: "enum", get: (v) => rc.shop.products[v.productSeq]?.status ?? null },
  };
}

export function itemFields(rc: RequestContext): Record<string, FieldSpec<VariantRec>> {
  return {
    id: { kind: "id", get: (v) => makeId("InventoryItem", rc.shop.no, v.seq) },
    sku: { kind: "string", get: (v) => v.sku },
    updated_at: { kind: "date", get: (v) => v.itemUpdatedAt },
    created_at: { kind: "date", get: (v) => v.createdAt },
  };
}

export function orderFields(rc: RequestContext): Record<string, FieldSpec<OrderRec>> {
  return {
    id: { kind: "id", get: (o) => makeId("Order", rc.shop.no, o.seq) },
    updated_at: { kind: "date", get: (o) => o.updatedAt },
    created_at: { kind: "date", get: (o) => o.createdAt },
    processed_at: { kind: "date", get: (o) => o.processedAt },
    name: { kind: "string", get: (o) => `#${o.number}` },
    order_number: { kind: "number", get: (o) => o.number },
    financial_status: { kind: "enum", get: (o) => o.financialStatus },
    fulfillment_status: { kind: "enum", get: (o) => (o.fulfillmentStatus === "FULFILLED" ? "shipped" : "unshipped") },
    status: {
      kind: "enum",
      get: (o) => (o.cancelledAt != null ? "cancelled" : o.closedAt != null ? "closed" : "open"),
    },
    email: { kind: "string", get: (o) => o.email },
    tag: { kind: "tags", get: (o) => o.tags },
    test: { kind: "bool", get: (o) => o.test },
    customer_id: {
      kind: "id",
      get: (o) => (o.customerSeq == null ? null : makeId("Customer", rc.shop.no, o.customerSeq)),
    },
  };
}

// ---- inventory levels --------------------------------------------------------------------------

export interface LevelRef {
  __typename: "InventoryLevel";
  itemSeq: number;
  locIdx: number;
}
export const levelRef = (itemSeq: number, locIdx: number): LevelRef => ({
  __typename: "InventoryLevel",
  itemSeq,
  locIdx,
});

export function levelExists(rc: RequestContext, itemSeq: number, locIdx: number): boolean {
  return rc.shop.variants[itemSeq] !== undefined && rc.shop.levels[locIdx]?.available[itemSeq] !== undefined;
}

export function levelList(
  rc: RequestContext,
  refs: ListSpec<LevelRef>["get"],
  size: number,
  args: Args,
): ListSpec<LevelRef> {
  return {
    size,
    get: refs,
    id: (l) => levelId(rc.shop.no, l.itemSeq, l.locIdx),
    value: (l) => levelId(rc.shop.no, l.itemSeq, l.locIdx),
    valueKind: "bigint",
    reverse: !!args.reverse,
  };
}

export const QUANTITY_NAMES = new Set([
  "available",
  "on_hand",
  "committed",
  "incoming",
  "reserved",
  "damaged",
  "safety_stock",
  "quality_control",
]);

// ---- node lookup -----------------------------------------------------------------------------

export function lookupNode(rc: RequestContext, id: string): unknown {
  const p = parseGid(String(id));
  if (!p) throw invalidGid(id);
  const s = rc.shop;
  const seq = (k: Kind) => seqOf(k, s.no, p.id);
  const at = <T>(xs: Array<T | undefined>, k: Kind): T | null => {
    const i = seq(k);
    return i === undefined ? null : (xs[i] ?? null);
  };
  switch (p.kind) {
    case "Product":
      return hasScope(rc, "read_products") ? at(s.products, "Product") : null;
    case "ProductVariant":
      return hasScope(rc, "read_products") ? at(s.variants, "ProductVariant") : null;
    case "InventoryItem": {
      const v =
        hasScope(rc, "read_inventory") || hasScope(rc, "read_products") ? at(s.variants, "InventoryItem") : null;
      return v ? itemRef(v) : null;
    }
    case "InventoryLevel": {
      const l = levelOf(s.no, p.id);
      return l && levelExists(rc, l.itemSeq, l.locIdx) ? levelRef(l.itemSeq, l.locIdx) : null;
    }
    case "Location":
      return at(s.locations, "Location");
    case "Order": {
      const denied = customerDataDenial(rc, "QueryRoot", "order");
      if (denied) throw denied;
      const o = at(s.orders, "Order");
      return o && hasScope(rc, "read_orders") && orderVisible(rc, o) ? o : null;
    }
    case "LineItem": {
      const i = seq("LineItem");
      if (i === undefined) return null;
      for (const o of s.orders) for (const li of o?.lineItems ?? []) if (li.seq === i) return li;
      return null;
    }
    case "Customer": {
      const denied = customerDataDenial(rc, "QueryRoot", "customer");
      if (denied) throw denied;
      return at(s.customers, "Customer");
    }
    case "BulkOperation":
      return at(s.bulkOperations, "BulkOperation");
    case "WebhookSubscription":
      return at(s.webhookSubscriptions, "WebhookSubscription");
    default:
      return null;
  }
}

export interface ItemRef {
  __typename: "InventoryItem";
  v: VariantRec;
}
export const itemRef = (v: VariantRec): ItemRef => ({ __typename: "InventoryItem", v });

// ---- order money helpers -----------------------------------------------------------------------

export const orderCurrentFactor = (o: OrderRec) => (o.cancelledAt != null ? 0 : 1);
export const refunded = (o: OrderRec) => (o.financialStatus === "REFUNDED" ? o.receivedCents : 0);

export function address(a: AddressRec | null) {
  if (!a) return null;
  return {
    ...a,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    countryCodeV2: a.countryCode,
    formattedArea: [a.city, a.provinceCode, a.country].filter(Boolean).join(", ") || null,
    formatted: [a.address1, a.address2, [a.city, a.provinceCode, a.zip].filter(Boolean).join(" "), a.country].filter(
      Boolean,
    ),
  };
}

// ---- the resolver table ------------------------------------------------------------------------

export const PRODUCT_SORTS: Record<string, SortDef<ProductRec>> = {
  ID: ID_SORT,
  UPDATED_AT: num((p) => p.updatedAt),
  CREATED_AT: num((p) => p.createdAt),
  PUBLISHED_AT: num((p) => p.publishedAt ?? 0),
  TITLE: str((p) => p.title),
  VENDOR: str((p) => p.vendor),
  PRODUCT_TYPE: str((p) => p.productType),
};

export const ORDER_SORTS: Record<string, SortDef<OrderRec>> = {
  ID: ID_SORT,
  CREATED_AT: num((o) => o.createdAt),
  UPDATED_AT: num((o) => o.updatedAt),
  PROCESSED_AT: num((o) => o.processedAt),
  ORDER_NUMBER: num((o) => o.number),
  TOTAL_PRICE: num((o) => o.totalCents),
};

export const VARIANT_SORTS: Record<string, SortDef<VariantRec>> = {
  ID: ID_SORT,
  SKU: str((v) => v.sku ?? ""),
  TITLE: str((v) => v.title),
  POSITION: num((v) => v.position),
};

export function productList(rc: RequestContext, args: Args): ListSpec<ProductRec> {
  requireScope(rc, "read_products", "products");
  return collection(
    rc,
    "products",
    () => live(rc.shop.products),
    "Product",
    PRODUCT_SORTS,
    args.sortKey ?? "ID",
    args,
    {
      fields: productFields(rc),
      freeText: (p) => `${p.title} ${p.vendor} ${p.productType} ${p.tags.join(" ")}`,
      path: "products",
    },
  );
}

export function variantList(rc: RequestContext, args: Args): ListSpec<VariantRec> {
  requireScope(rc, "read_products", "productVariants");
  return collection(
    rc,
    "variants",
    () => live(rc.shop.variants),
    "ProductVariant",
    VARIANT_SORTS,
    args.sortKey ?? "ID",
    args,
    {
      fields: variantFields(rc),
      freeText: (v) => `${v.title} ${v.sku ?? ""}`,
      path: "productVariants",
    },
  );
}

export function orderList(rc: RequestContext, args: Args): ListSpec<OrderRec> {
  requireScope(rc, "read_orders", "orders");
  return collection(
    rc,
    "orders",
    () => live(rc.shop.orders),
    "Order",
    ORDER_SORTS,
    args.sortKey ?? "ID",
    args,
    { fields: orderFields(rc), freeText: (o) => `#${o.number} ${o.email ?? ""}`, path: "orders" },
    hasScope(rc, "read_all_orders") ? undefined : (o) => orderVisible(rc, o),
  );
}

export function countOf(list: ListSpec<unknown>, limit: number | null | undefined) {
  const cap = limit ?? 10_000;
  return { count: Math.min(list.size, cap), precision: list.size > cap ? "AT_LEAST" : "EXACT" };
}

export const PLAN_NAMES = { standard: "Basic", advanced: "Advanced", plus: "Shopify Plus" } as const;

export function tzAbbreviation(tz: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "short" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName");
    return part?.value ?? "UTC";
  } catch {
    return "UTC";
  }
}

export function hash(s: string): number {
  let h = 7;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

/**
 * Protected customer data the app is not approved for (../../customer-data.ts): the error Shopify
 * answers with, or null. Thrown from a field's resolver, graphql-js gives Shopify's shape: the field
 * null, and an `errors[]` entry with its path.
 */
export function customerDataDenial(rc: RequestContext, typeName: string, fieldName: string): GraphQLError | null {
  return fieldDenial(rc.shop, rc.app.apiKey, customerDataAccessOf(rc.shop, rc.app.apiKey), typeName, fieldName);
}
