// Resolvers for the part of Shopify's Admin schema the emulator implements. The schema itself is
// Shopify's official introspection (never retyped); this table says which (type, field) pairs have
// behaviour. Anything selected outside it fails loudly by name (see `fieldResolver`) instead of
// answering a silent null the app could mistake for real data.
//
// The same table drives both synchronous queries (graphql-js `execute`) and bulk operations (the
// bulk runner walks the selection itself and calls these functions), so the two cannot drift.
import { GraphQLError, type GraphQLFieldResolver, type GraphQLTypeResolver } from "graphql";
import type { EmulatedApp } from "../context";
import { allowsObjects, customerDataAccessOf, fieldDenial, isProtectedTopic } from "../customer-data";
import { restTopic } from "../webhooks/subscriptions";
import { gid, levelId, levelOf, makeId, parseGid, seqOf, type Kind } from "../state/ids";
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
  WebhookSubscriptionRec,
} from "../state/model";
import { formatDecimal, formatMoney } from "../state/money";
import type { Store } from "../state/store";
import { iso, isoOrNull, totalAvailable } from "../state/views";
import { checkPageArgs, fromArray, paginate, type ListSpec, type PageArgs, type SortValue } from "./connection";
import { compileSearch, type FieldSpec, type SearchWarning } from "./search";

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

type Src = any; // eslint-disable-line @typescript-eslint/no-explicit-any -- sources differ per type
type Args = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export type Resolver = (source: Src, args: Args, rc: RequestContext) => unknown;

export interface ConnectionDef {
  kind: "connection";
  list(source: Src, args: Args, rc: RequestContext): ListSpec<unknown>;
}

export type FieldDef = Resolver | ConnectionDef;

export function isConnectionDef(d: FieldDef | undefined): d is ConnectionDef {
  return typeof d === "object" && d !== null && d.kind === "connection";
}

const conn = (list: ConnectionDef["list"]): ConnectionDef => ({ kind: "connection", list });

/** Fields read straight off plain objects (MoneyV2, Count, payloads…). */
function plain(...names: string[]): Record<string, Resolver> {
  return Object.fromEntries(names.map((n) => [n, (s: Src) => s[n] ?? null]));
}

const g = (rc: RequestContext, kind: Kind, seq: number) => gid(kind, makeId(kind, rc.shop.no, seq));
const legacy = (rc: RequestContext, kind: Kind, seq: number) => String(makeId(kind, rc.shop.no, seq));

export function moneyV2(cents: number, currencyCode: string) {
  return { amount: formatDecimal(cents), currencyCode };
}
function moneyBag(rc: RequestContext, cents: number) {
  const m = moneyV2(cents, rc.shop.currencyCode);
  return { shopMoney: m, presentmentMoney: m };
}

function hasScope(rc: RequestContext, scope: string): boolean {
  if (rc.scopes === null) return true;
  const [verb, resource] = scope.split("_", 2) as [string, string];
  // write_x implies read_x, as in Shopify.
  return rc.scopes.includes(scope) || (verb === "read" && rc.scopes.includes(`write_${resource}`));
}

function requireScope(rc: RequestContext, scope: string, field: string): void {
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
function orderVisible(rc: RequestContext, o: OrderRec): boolean {
  return hasScope(rc, "read_all_orders") || o.createdAt >= rc.now() - 60 * 86_400_000;
}

function seqFromGid(rc: RequestContext, kind: Kind, id: string): number | undefined {
  const p = parseGid(String(id));
  if (!p) throw invalidGid(id);
  if (p.kind !== kind) return undefined;
  return seqOf(kind, rc.shop.no, p.id);
}

function invalidGid(id: unknown): GraphQLError {
  return new GraphQLError(`Invalid global id '${String(id)}'`, {
    extensions: { code: "argumentLiteralsIncompatible", typeName: "CoercionError" },
  });
}

function sortKeyNotImplemented(sortKey: string): GraphQLError {
  return new GraphQLError(`sortKey ${sortKey} is not implemented by the Shop Sync emulator`, {
    extensions: { code: "NOT_IMPLEMENTED_BY_EMULATOR" },
  });
}

interface SortDef<T> {
  value(item: T, rc: RequestContext): SortValue;
  kind: "number" | "string" | "bigint";
  /** Fast comparator for sorting (ties broken by seq, which follows id order). */
  cmp?(a: T, b: T): number;
}

/** Sorted + filtered list of a root collection, with the sort cached until the shop changes. */
function collection<T extends { seq: number }>(
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

const live = <T>(xs: Array<T | undefined>): T[] => xs.filter((x): x is T => x !== undefined);
const ID_SORT = { value: () => 0, kind: "bigint" as const };
const num = <T>(f: (x: T) => number): SortDef<T> => ({
  value: f,
  kind: "number",
  cmp: (a, b) => f(a) - f(b) || (a as { seq: number }).seq - (b as { seq: number }).seq,
});
const str = <T>(f: (x: T) => string): SortDef<T> => ({ value: (x) => f(x).toLowerCase(), kind: "string" });

// ---- search field tables -----------------------------------------------------------------------

function productFields(rc: RequestContext): Record<string, FieldSpec<ProductRec>> {
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

function variantFields(rc: RequestContext): Record<string, FieldSpec<VariantRec>> {
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

function itemFields(rc: RequestContext): Record<string, FieldSpec<VariantRec>> {
  return {
    id: { kind: "id", get: (v) => makeId("InventoryItem", rc.shop.no, v.seq) },
    sku: { kind: "string", get: (v) => v.sku },
    updated_at: { kind: "date", get: (v) => v.itemUpdatedAt },
    created_at: { kind: "date", get: (v) => v.createdAt },
  };
}

function orderFields(rc: RequestContext): Record<string, FieldSpec<OrderRec>> {
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
const levelRef = (itemSeq: number, locIdx: number): LevelRef => ({ __typename: "InventoryLevel", itemSeq, locIdx });

function levelExists(rc: RequestContext, itemSeq: number, locIdx: number): boolean {
  return rc.shop.variants[itemSeq] !== undefined && rc.shop.levels[locIdx]?.available[itemSeq] !== undefined;
}

function levelList(rc: RequestContext, refs: ListSpec<LevelRef>["get"], size: number, args: Args): ListSpec<LevelRef> {
  return {
    size,
    get: refs,
    id: (l) => levelId(rc.shop.no, l.itemSeq, l.locIdx),
    value: (l) => levelId(rc.shop.no, l.itemSeq, l.locIdx),
    valueKind: "bigint",
    reverse: !!args.reverse,
  };
}

const QUANTITY_NAMES = new Set([
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
const itemRef = (v: VariantRec): ItemRef => ({ __typename: "InventoryItem", v });

// ---- order money helpers -----------------------------------------------------------------------

const orderCurrentFactor = (o: OrderRec) => (o.cancelledAt != null ? 0 : 1);
const refunded = (o: OrderRec) => (o.financialStatus === "REFUNDED" ? o.receivedCents : 0);

function address(a: AddressRec | null) {
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

const PRODUCT_SORTS: Record<string, SortDef<ProductRec>> = {
  ID: ID_SORT,
  UPDATED_AT: num((p) => p.updatedAt),
  CREATED_AT: num((p) => p.createdAt),
  PUBLISHED_AT: num((p) => p.publishedAt ?? 0),
  TITLE: str((p) => p.title),
  VENDOR: str((p) => p.vendor),
  PRODUCT_TYPE: str((p) => p.productType),
};

const ORDER_SORTS: Record<string, SortDef<OrderRec>> = {
  ID: ID_SORT,
  CREATED_AT: num((o) => o.createdAt),
  UPDATED_AT: num((o) => o.updatedAt),
  PROCESSED_AT: num((o) => o.processedAt),
  ORDER_NUMBER: num((o) => o.number),
  TOTAL_PRICE: num((o) => o.totalCents),
};

const VARIANT_SORTS: Record<string, SortDef<VariantRec>> = {
  ID: ID_SORT,
  SKU: str((v) => v.sku ?? ""),
  TITLE: str((v) => v.title),
  POSITION: num((v) => v.position),
};

function productList(rc: RequestContext, args: Args): ListSpec<ProductRec> {
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

function variantList(rc: RequestContext, args: Args): ListSpec<VariantRec> {
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

function orderList(rc: RequestContext, args: Args): ListSpec<OrderRec> {
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

function countOf(list: ListSpec<unknown>, limit: number | null | undefined) {
  const cap = limit ?? 10_000;
  return { count: Math.min(list.size, cap), precision: list.size > cap ? "AT_LEAST" : "EXACT" };
}

export const RESOLVERS: Record<string, Record<string, FieldDef>> = {
  QueryRoot: {
    shop: (_s, _a, rc) => rc.shop,
    products: conn((_s, a, rc) => productList(rc, a)),
    productsCount: (_s, a, rc) => countOf(productList(rc, a), a.limit),
    product: (_s, a, rc) => {
      requireScope(rc, "read_products", "product");
      const i = seqFromGid(rc, "Product", a.id);
      return i === undefined ? null : (rc.shop.products[i] ?? null);
    },
    productVariants: conn((_s, a, rc) => variantList(rc, a)),
    productVariantsCount: (_s, a, rc) => countOf(variantList(rc, a), a.limit),
    productVariant: (_s, a, rc) => {
      requireScope(rc, "read_products", "productVariant");
      const i = seqFromGid(rc, "ProductVariant", a.id);
      return i === undefined ? null : (rc.shop.variants[i] ?? null);
    },
    inventoryItems: conn((_s, a, rc) => {
      requireScope(rc, "read_inventory", "inventoryItems");
      return collection(rc, "items", () => live(rc.shop.variants), "InventoryItem", { ID: ID_SORT }, "ID", a, {
        fields: itemFields(rc),
        path: "inventoryItems",
      }) as ListSpec<unknown>;
    }),
    inventoryItem: (_s, a, rc) => {
      requireScope(rc, "read_inventory", "inventoryItem");
      const i = seqFromGid(rc, "InventoryItem", a.id);
      const v = i === undefined ? undefined : rc.shop.variants[i];
      return v ? itemRef(v) : null;
    },
    inventoryLevel: (_s, a, rc) => {
      requireScope(rc, "read_inventory", "inventoryLevel");
      const p = parseGid(String(a.id));
      if (!p) throw invalidGid(a.id);
      const l = p.kind === "InventoryLevel" ? levelOf(rc.shop.no, p.id) : undefined;
      return l && levelExists(rc, l.itemSeq, l.locIdx) ? levelRef(l.itemSeq, l.locIdx) : null;
    },
    locations: conn((_s, a, rc) => {
      requireScope(rc, "read_locations", "locations");
      const sorts: Record<string, SortDef<LocationRec>> = { ID: ID_SORT, NAME: str((l) => l.name) };
      return collection(
        rc,
        "locations",
        () => [...rc.shop.locations],
        "Location",
        sorts,
        a.sortKey ?? "NAME",
        a,
        {
          fields: {
            id: { kind: "id", get: (l) => makeId("Location", rc.shop.no, l.seq) },
            name: { kind: "string", get: (l) => l.name },
            active: { kind: "bool", get: (l) => l.isActive },
          },
          path: "locations",
        },
        a.includeInactive ? undefined : (l) => l.isActive,
      ) as ListSpec<unknown>;
    }),
    locationsCount: (_s, _a, rc) => ({ count: rc.shop.locations.filter((l) => l.isActive).length, precision: "EXACT" }),
    location: (_s, a, rc) => {
      requireScope(rc, "read_locations", "location");
      if (a.id == null) return rc.shop.locations.find((l) => l.isActive) ?? null; // the primary location
      const i = seqFromGid(rc, "Location", a.id);
      return i === undefined ? null : (rc.shop.locations[i] ?? null);
    },
    orders: conn((_s, a, rc) => orderList(rc, a)),
    ordersCount: (_s, a, rc) => countOf(orderList(rc, a), a.limit),
    order: (_s, a, rc) => {
      requireScope(rc, "read_orders", "order");
      const i = seqFromGid(rc, "Order", a.id);
      const o = i === undefined ? undefined : rc.shop.orders[i];
      return o && orderVisible(rc, o) ? o : null;
    },
    customer: (_s, a, rc) => {
      requireScope(rc, "read_customers", "customer");
      const i = seqFromGid(rc, "Customer", a.id);
      return i === undefined ? null : (rc.shop.customers[i] ?? null);
    },
    node: (_s, a, rc) => lookupNode(rc, a.id),
    nodes: (_s, a, rc) => (a.ids as string[]).map((id) => lookupNode(rc, id)),
    currentAppInstallation: (_s, _a, rc) => ({ __typename: "AppInstallation", rc }),
    appInstallation: (_s, a, rc) => {
      if (a.id == null) return { __typename: "AppInstallation", rc };
      const p = parseGid(String(a.id));
      if (!p) throw invalidGid(a.id);
      return p.kind === "AppInstallation" && p.id === makeId("AppInstallation", rc.shop.no, 0)
        ? { __typename: "AppInstallation", rc }
        : null;
    },
    webhookSubscriptions: conn((_s, a, rc) => {
      const topics = a.topics as string[] | undefined;
      const uri = (a.uri ?? a.callbackUrl) as string | undefined;
      const subs = live(rc.shop.webhookSubscriptions).filter(
        (w) =>
          (!topics?.length || topics.includes(w.topic)) &&
          (!uri || w.uri === uri) &&
          (!a.format || w.format === a.format),
      );
      const sortKey = a.sortKey ?? "CREATED_AT";
      if (sortKey !== "CREATED_AT" && sortKey !== "ID") throw sortKeyNotImplemented(sortKey);
      return fromArray(subs, {
        id: (w) => makeId("WebhookSubscription", rc.shop.no, w.seq),
        value: (w) => makeId("WebhookSubscription", rc.shop.no, w.seq),
        valueKind: "bigint",
        reverse: !!a.reverse,
      }) as ListSpec<unknown>;
    }),
    webhookSubscription: (_s, a, rc) => {
      const i = seqFromGid(rc, "WebhookSubscription", a.id);
      return i === undefined ? null : (rc.shop.webhookSubscriptions[i] ?? null);
    },
    bulkOperation: (_s, a, rc) => {
      const i = seqFromGid(rc, "BulkOperation", a.id);
      const op = i === undefined ? undefined : rc.shop.bulkOperations[i];
      return op && op.apiKey === rc.app.apiKey ? op : null;
    },
    currentBulkOperation: (_s, a, rc) => {
      const type = a.type ?? "QUERY";
      const mine = live(rc.shop.bulkOperations).filter((b) => b.apiKey === rc.app.apiKey && b.type === type);
      return mine[mine.length - 1] ?? null;
    },
    bulkOperations: conn((_s, a, rc) => {
      const sorts: Record<string, SortDef<BulkOperationRec>> = {
        CREATED_AT: num((b) => b.createdAt),
        COMPLETED_AT: num((b) => b.completedAt ?? 0),
      };
      return collection(
        rc,
        "bulk",
        () => live(rc.shop.bulkOperations),
        "BulkOperation",
        sorts,
        a.sortKey ?? "CREATED_AT",
        a,
        {
          fields: {
            id: { kind: "id", get: (b) => makeId("BulkOperation", rc.shop.no, b.seq) },
            status: { kind: "enum", get: (b) => b.status },
            type: { kind: "enum", get: (b) => b.type },
            created_at: { kind: "date", get: (b) => b.createdAt },
            completed_at: { kind: "date", get: (b) => b.completedAt },
          },
          path: "bulkOperations",
        },
        (b) => b.apiKey === rc.app.apiKey,
      ) as ListSpec<unknown>;
    }),
  },

  Mutation: {
    bulkOperationRunQuery: (_s, a, rc) => rc.bulk.run(rc, a.query, a.groupObjects),
    bulkOperationCancel: (_s, a, rc) => {
      const i = seqFromGid(rc, "BulkOperation", a.id);
      const op = i === undefined ? undefined : rc.shop.bulkOperations[i];
      if (!op || op.apiKey !== rc.app.apiKey)
        return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
      return rc.bulk.cancel(rc, op);
    },
    webhookSubscriptionCreate: (_s, a, rc) => {
      const input = a.webhookSubscription as Record<string, unknown>;
      const uri = (input.uri ?? input.callbackUrl) as string | undefined;
      const field = input.uri !== undefined ? "uri" : "callbackUrl";
      if (!uri)
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address can't be blank" }],
        };
      if (!/^(https:\/\/|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/)|pubsub:\/\/|arn:aws:events:)/.test(uri))
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", field], message: "Address protocol http:// is not supported" }],
        };
      if (isProtectedTopic(restTopic(String(a.topic))) && !allowsObjects(customerDataAccessOf(rc.shop, rc.app.apiKey)))
        return {
          webhookSubscription: null,
          userErrors: [
            {
              field: ["webhookSubscription"],
              message: "This app is not approved to subscribe to webhook topics containing protected customer data.",
            },
          ],
        };
      const dup = live(rc.shop.webhookSubscriptions).some((w) => w.topic === a.topic && w.uri === uri);
      if (dup)
        return {
          webhookSubscription: null,
          userErrors: [
            { field: ["webhookSubscription", field], message: "Address for this topic has already been taken" },
          ],
        };
      const rec = rc.store.createWebhookSubscription(rc.shop, {
        topic: a.topic,
        uri,
        name: (input.name as string | undefined) ?? null,
        filter: (input.filter as string | undefined) ?? null,
        format: (input.format as "JSON" | "XML" | undefined) ?? "JSON",
        includeFields: (input.includeFields as string[] | undefined) ?? [],
        metafieldNamespaces: (input.metafieldNamespaces as string[] | undefined) ?? [],
        apiVersion: rc.app.webhookApiVersion,
      });
      return { webhookSubscription: rec, userErrors: [] };
    },
    webhookSubscriptionDelete: (_s, a, rc) => {
      const i = seqFromGid(rc, "WebhookSubscription", a.id);
      if (i === undefined || !rc.store.deleteWebhookSubscription(rc.shop, i))
        return {
          deletedWebhookSubscriptionId: null,
          userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
        };
      return { deletedWebhookSubscriptionId: String(a.id), userErrors: [] };
    },
  },

  Shop: {
    id: (s: ShopRec) => gid("Shop", makeId("Shop", s.no, 0)),
    name: (s: ShopRec) => s.name,
    email: (s: ShopRec) => s.email,
    contactEmail: (s: ShopRec) => s.email,
    myshopifyDomain: (s: ShopRec) => s.domain,
    url: (s: ShopRec) => `https://${s.primaryDomainHost}`,
    currencyCode: (s: ShopRec) => s.currencyCode,
    enabledPresentmentCurrencies: (s: ShopRec) => [s.currencyCode],
    ianaTimezone: (s: ShopRec) => s.ianaTimezone,
    timezoneAbbreviation: (s: ShopRec) => tzAbbreviation(s.ianaTimezone),
    weightUnit: () => "KILOGRAMS",
    taxesIncluded: () => false,
    createdAt: (s: ShopRec) => iso(s.createdAt),
    updatedAt: (s: ShopRec) => iso(s.updatedAt),
    plan: (s: ShopRec) => s,
    primaryDomain: (s: ShopRec) => ({ __shop: s }),
  },
  ShopPlan: {
    // Shopify's public names for the three API tiers the emulator models.
    displayName: (s: ShopRec) => PLAN_NAMES[s.plan],
    publicDisplayName: (s: ShopRec) => PLAN_NAMES[s.plan],
    partnerDevelopment: () => false,
    shopifyPlus: (s: ShopRec) => s.plan === "plus",
  },
  Domain: {
    id: (d: { __shop: ShopRec }) => gid("Shop", `${makeId("Shop", d.__shop.no, 0)}`).replace("/Shop/", "/Domain/"),
    host: (d: { __shop: ShopRec }) => d.__shop.primaryDomainHost,
    url: (d: { __shop: ShopRec }) => `https://${d.__shop.primaryDomainHost}`,
    sslEnabled: () => true,
  },

  Product: {
    id: (p: ProductRec, _a, rc) => g(rc, "Product", p.seq),
    legacyResourceId: (p: ProductRec, _a, rc) => legacy(rc, "Product", p.seq),
    title: (p: ProductRec) => p.title,
    handle: (p: ProductRec) => p.handle,
    vendor: (p: ProductRec) => p.vendor,
    productType: (p: ProductRec) => p.productType,
    status: (p: ProductRec) => p.status,
    tags: (p: ProductRec) => p.tags,
    descriptionHtml: (p: ProductRec) => p.descriptionHtml,
    bodyHtml: (p: ProductRec) => p.descriptionHtml,
    description: (p: ProductRec) => p.descriptionHtml.replace(/<[^>]*>/g, "").trim(),
    createdAt: (p: ProductRec) => iso(p.createdAt),
    updatedAt: (p: ProductRec) => iso(p.updatedAt),
    publishedAt: (p: ProductRec) => isoOrNull(p.publishedAt),
    templateSuffix: () => null,
    isGiftCard: () => false,
    onlineStoreUrl: (p: ProductRec, _a, rc) =>
      p.status === "ACTIVE" ? `https://${rc.shop.primaryDomainHost}/products/${p.handle}` : null,
    options: (p: ProductRec, a) => p.options.slice(0, a.first ?? undefined).map((o, i) => ({ p, o, i })),
    variants: conn((p: ProductRec, a, rc) => {
      const vs = live(p.variantSeqs.map((s) => rc.shop.variants[s]));
      const key = a.sortKey ?? "POSITION";
      const sort = VARIANT_SORTS[key];
      if (!sort) throw sortKeyNotImplemented(key);
      if (key !== "ID")
        vs.sort((x, y) =>
          sort.cmp ? sort.cmp(x, y) : String(sort.value(x, rc)).localeCompare(String(sort.value(y, rc))),
        );
      return fromArray(vs, {
        id: (v) => makeId("ProductVariant", rc.shop.no, v.seq),
        value: key === "ID" ? (v) => makeId("ProductVariant", rc.shop.no, v.seq) : (v) => sort.value(v, rc),
        valueKind: key === "ID" ? "bigint" : sort.kind,
        reverse: !!a.reverse,
      }) as ListSpec<unknown>;
    }),
    variantsCount: (p: ProductRec, _a, rc) => ({
      count: p.variantSeqs.filter((s) => rc.shop.variants[s]).length,
      precision: "EXACT",
    }),
    totalInventory: (p: ProductRec, _a, rc) =>
      p.variantSeqs.reduce((n, s) => n + (rc.shop.variants[s]?.tracked ? totalAvailable(rc.shop, s) : 0), 0),
    tracksInventory: (p: ProductRec, _a, rc) => p.variantSeqs.some((s) => rc.shop.variants[s]?.tracked),
    hasOnlyDefaultVariant: (p: ProductRec) =>
      p.options.length === 1 && p.options[0]?.values.length === 1 && p.options[0]?.values[0] === "Default Title",
    hasOutOfStockVariants: (p: ProductRec, _a, rc) =>
      p.variantSeqs.some((s) => rc.shop.variants[s]?.tracked && totalAvailable(rc.shop, s) <= 0),
    priceRangeV2: (p: ProductRec, _a, rc) => {
      const prices = live(p.variantSeqs.map((s) => rc.shop.variants[s])).map((v) => v.priceCents);
      const cur = rc.shop.currencyCode;
      return {
        minVariantPrice: moneyV2(Math.min(...prices, Infinity) === Infinity ? 0 : Math.min(...prices), cur),
        maxVariantPrice: moneyV2(Math.max(0, ...prices), cur),
      };
    },
  },
  ProductOption: {
    id: (x: { p: ProductRec; i: number }, _a, rc) => g(rc, "ProductOption", x.p.seq * 8 + x.i),
    name: (x: { o: { name: string } }) => x.o.name,
    position: (x: { i: number }) => x.i + 1,
    values: (x: { o: { values: string[] } }) => x.o.values,
    optionValues: (x: { p: ProductRec; o: { values: string[] }; i: number }) =>
      x.o.values.map((name) => ({ name, hasVariants: true, __id: `${x.p.seq}-${x.i}-${name}` })),
  },
  ProductOptionValue: {
    ...plain("name", "hasVariants"),
    id: (x: { __id: string }) => `gid://shopify/ProductOptionValue/${hash(x.__id)}`,
  },
  ProductPriceRangeV2: plain("minVariantPrice", "maxVariantPrice"),
  SelectedOption: plain("name", "value"),

  ProductVariant: {
    id: (v: VariantRec, _a, rc) => g(rc, "ProductVariant", v.seq),
    legacyResourceId: (v: VariantRec, _a, rc) => legacy(rc, "ProductVariant", v.seq),
    title: (v: VariantRec) => v.title,
    displayName: (v: VariantRec, _a, rc) => `${rc.shop.products[v.productSeq]?.title ?? ""} - ${v.title}`,
    sku: (v: VariantRec) => v.sku,
    barcode: (v: VariantRec) => v.barcode,
    price: (v: VariantRec) => formatMoney(v.priceCents),
    compareAtPrice: (v: VariantRec) => (v.compareAtPriceCents == null ? null : formatMoney(v.compareAtPriceCents)),
    position: (v: VariantRec) => v.position,
    inventoryPolicy: (v: VariantRec) => v.inventoryPolicy,
    inventoryQuantity: (v: VariantRec, _a, rc) => totalAvailable(rc.shop, v.seq),
    availableForSale: (v: VariantRec, _a, rc) =>
      rc.shop.products[v.productSeq]?.status === "ACTIVE" &&
      (!v.tracked || v.inventoryPolicy === "CONTINUE" || totalAvailable(rc.shop, v.seq) > 0),
    selectedOptions: (v: VariantRec, _a, rc) =>
      (rc.shop.products[v.productSeq]?.options ?? []).map((o, i) => ({ name: o.name, value: v.optionValues[i] ?? "" })),
    taxable: (v: VariantRec) => v.taxable,
    createdAt: (v: VariantRec) => iso(v.createdAt),
    updatedAt: (v: VariantRec) => iso(v.updatedAt),
    product: (v: VariantRec, _a, rc) => rc.shop.products[v.productSeq] ?? null,
    inventoryItem: (v: VariantRec) => itemRef(v),
  },

  InventoryItem: {
    id: (x: ItemRef, _a, rc) => g(rc, "InventoryItem", x.v.seq),
    legacyResourceId: (x: ItemRef, _a, rc) => legacy(rc, "InventoryItem", x.v.seq),
    sku: (x: ItemRef) => x.v.sku,
    tracked: (x: ItemRef) => x.v.tracked,
    requiresShipping: () => true,
    createdAt: (x: ItemRef) => iso(x.v.createdAt),
    updatedAt: (x: ItemRef) => iso(x.v.itemUpdatedAt),
    variant: (x: ItemRef) => x.v,
    variants: conn(
      (x: ItemRef, a, rc) =>
        fromArray([x.v], {
          id: (v) => makeId("ProductVariant", rc.shop.no, v.seq),
          value: (v) => makeId("ProductVariant", rc.shop.no, v.seq),
          valueKind: "bigint",
          reverse: !!a.reverse,
        }) as ListSpec<unknown>,
    ),
    locationsCount: (x: ItemRef, _a, rc) => ({
      count: rc.shop.levels.filter((c) => c.available[x.v.seq] !== undefined).length,
      precision: "EXACT",
    }),
    inventoryLevel: (x: ItemRef, a, rc) => {
      const loc = seqFromGid(rc, "Location", a.locationId);
      return loc !== undefined && levelExists(rc, x.v.seq, loc) ? levelRef(x.v.seq, loc) : null;
    },
    inventoryLevels: conn((x: ItemRef, a, rc) => {
      const refs: LevelRef[] = [];
      rc.shop.locations.forEach((l, li) => {
        if ((a.includeInactive || l.isActive) && levelExists(rc, x.v.seq, li)) refs.push(levelRef(x.v.seq, li));
      });
      return levelList(rc, (i) => refs[i]!, refs.length, a) as ListSpec<unknown>;
    }),
  },

  InventoryLevel: {
    id: (l: LevelRef, _a, rc) =>
      `gid://shopify/InventoryLevel/${levelId(rc.shop.no, l.itemSeq, l.locIdx)}?inventory_item_id=${makeId("InventoryItem", rc.shop.no, l.itemSeq)}`,
    item: (l: LevelRef, _a, rc) => itemRef(rc.shop.variants[l.itemSeq]!),
    location: (l: LevelRef, _a, rc) => rc.shop.locations[l.locIdx],
    isActive: (l: LevelRef, _a, rc) => rc.shop.locations[l.locIdx]?.isActive ?? false,
    canDeactivate: () => true,
    createdAt: (l: LevelRef, _a, rc) => iso(rc.shop.levels[l.locIdx]?.createdAt[l.itemSeq] ?? 0),
    updatedAt: (l: LevelRef, _a, rc) => iso(rc.shop.levels[l.locIdx]?.updatedAt[l.itemSeq] ?? 0),
    quantities: (l: LevelRef, a, rc) => {
      const col = rc.shop.levels[l.locIdx]!;
      const available = col.available[l.itemSeq] ?? 0;
      const committed = col.committed[l.itemSeq] ?? 0;
      const updatedAt = iso(col.updatedAt[l.itemSeq] ?? 0);
      const lid = levelId(rc.shop.no, l.itemSeq, l.locIdx);
      const itemId = makeId("InventoryItem", rc.shop.no, l.itemSeq);
      return (a.names as string[]).map((name) => {
        if (!QUANTITY_NAMES.has(name))
          throw new GraphQLError(`The quantity name '${name}' is not valid.`, { extensions: { code: "BAD_REQUEST" } });
        const quantity =
          name === "available"
            ? available
            : name === "committed"
              ? committed
              : name === "on_hand"
                ? available + committed
                : 0;
        return {
          id: `gid://shopify/InventoryQuantity/${lid}?inventory_item_id=${itemId}&name=${name}`,
          name,
          quantity,
          updatedAt: name === "available" || name === "on_hand" || name === "committed" ? updatedAt : null,
        };
      });
    },
  },
  InventoryQuantity: plain("id", "name", "quantity", "updatedAt"),

  Location: {
    id: (l: LocationRec, _a, rc) => g(rc, "Location", l.seq),
    legacyResourceId: (l: LocationRec, _a, rc) => legacy(rc, "Location", l.seq),
    name: (l: LocationRec) => l.name,
    isActive: (l: LocationRec) => l.isActive,
    isPrimary: (l: LocationRec, _a, rc) => rc.shop.locations.find((x) => x.isActive) === l,
    fulfillsOnlineOrders: (l: LocationRec) => l.fulfillsOnlineOrders,
    shipsInventory: () => true,
    hasActiveInventory: (l: LocationRec, _a, rc) => l.isActive && (rc.shop.levels[l.seq]?.available.length ?? 0) > 0,
    createdAt: (l: LocationRec) => iso(l.createdAt),
    updatedAt: (l: LocationRec) => iso(l.updatedAt),
    deactivatedAt: (l: LocationRec) => (l.isActive ? null : iso(l.updatedAt)),
    address: (l: LocationRec) => address(l.address),
    inventoryLevel: (l: LocationRec, a, rc) => {
      const item = seqFromGid(rc, "InventoryItem", a.inventoryItemId);
      return item !== undefined && levelExists(rc, item, l.seq) ? levelRef(item, l.seq) : null;
    },
    inventoryLevels: conn((l: LocationRec, a, rc) => {
      requireScope(rc, "read_inventory", "inventoryLevels");
      // Item sequences stocked here, cached until the shop changes: a location can hold 500,000 levels,
      // so pages are read from this index rather than from 500,000 level objects.
      const seqs = rc.store.cached(rc.shop, `levels:${l.seq}`, () => {
        const col = rc.shop.levels[l.seq]!;
        const out: number[] = [];
        for (let i = 0; i < rc.shop.variants.length; i++)
          if (col.available[i] !== undefined && rc.shop.variants[i]) out.push(i);
        return Int32Array.from(out);
      });
      let filtered: ArrayLike<number> = seqs;
      if (typeof a.query === "string" && a.query.trim()) {
        const col = rc.shop.levels[l.seq]!;
        const compiled = compileSearch<number>(a.query, {
          updated_at: { kind: "date", get: (i) => col.updatedAt[i] ?? null },
          inventory_item_id: { kind: "id", get: (i) => makeId("InventoryItem", rc.shop.no, i) },
          sku: { kind: "string", get: (i) => rc.shop.variants[i]?.sku ?? null },
        });
        if (compiled.warnings.length)
          rc.searchWarnings.push({ path: ["inventoryLevels"], query: a.query, warnings: compiled.warnings });
        filtered = Array.from(seqs).filter(compiled.match);
      }
      const f = filtered;
      return levelList(rc, (i) => levelRef(f[i]!, l.seq), f.length, a) as ListSpec<unknown>;
    }),
  },
  LocationAddress: plain(
    "address1",
    "address2",
    "city",
    "country",
    "countryCode",
    "phone",
    "province",
    "provinceCode",
    "zip",
    "formatted",
    "latitude",
    "longitude",
  ),

  Order: {
    id: (o: OrderRec, _a, rc) => g(rc, "Order", o.seq),
    legacyResourceId: (o: OrderRec, _a, rc) => legacy(rc, "Order", o.seq),
    name: (o: OrderRec) => `#${o.number}`,
    number: (o: OrderRec) => o.number,
    email: (o: OrderRec) => o.email,
    phone: (o: OrderRec) => o.phone,
    customer: (o: OrderRec, _a, rc) => (o.customerSeq == null ? null : (rc.shop.customers[o.customerSeq] ?? null)),
    billingAddress: (o: OrderRec) => address(o.billingAddress),
    shippingAddress: (o: OrderRec) => address(o.shippingAddress),
    displayAddress: (o: OrderRec) => address(o.billingAddress),
    createdAt: (o: OrderRec) => iso(o.createdAt),
    updatedAt: (o: OrderRec) => iso(o.updatedAt),
    processedAt: (o: OrderRec) => iso(o.processedAt),
    cancelledAt: (o: OrderRec) => isoOrNull(o.cancelledAt),
    cancelReason: (o: OrderRec) => o.cancelReason,
    closedAt: (o: OrderRec) => isoOrNull(o.closedAt),
    closed: (o: OrderRec) => o.closedAt != null,
    confirmed: () => true,
    test: (o: OrderRec) => o.test,
    tags: (o: OrderRec) => o.tags,
    note: (o: OrderRec) => o.note,
    taxesIncluded: () => false,
    fullyPaid: (o: OrderRec) => o.receivedCents >= o.totalCents,
    unpaid: (o: OrderRec) => o.receivedCents === 0,
    displayFinancialStatus: (o: OrderRec) => o.financialStatus,
    displayFulfillmentStatus: (o: OrderRec) => o.fulfillmentStatus,
    currencyCode: (_o: OrderRec, _a, rc) => rc.shop.currencyCode,
    presentmentCurrencyCode: (_o: OrderRec, _a, rc) => rc.shop.currencyCode,
    subtotalLineItemsQuantity: (o: OrderRec) => o.lineItems.reduce((n, li) => n + li.quantity, 0),
    currentSubtotalLineItemsQuantity: (o: OrderRec) => o.lineItems.reduce((n, li) => n + li.currentQuantity, 0),
    // Deprecated `Money` scalars (two decimals) next to their MoneyBag successors.
    totalPrice: (o: OrderRec) => formatMoney(o.totalCents),
    subtotalPrice: (o: OrderRec) => formatMoney(o.lineItemsCents - o.discountCents),
    totalTax: (o: OrderRec) => formatMoney(o.taxCents),
    totalDiscounts: (o: OrderRec) => formatMoney(o.discountCents),
    totalShippingPrice: (o: OrderRec) => formatMoney(o.shippingCents),
    totalPriceSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.totalCents),
    originalTotalPriceSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.totalCents),
    subtotalPriceSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.lineItemsCents - o.discountCents),
    totalTaxSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.taxCents),
    totalDiscountsSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.discountCents),
    totalShippingPriceSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.shippingCents),
    totalReceivedSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.receivedCents),
    totalRefundedSet: (o: OrderRec, _a, rc) => moneyBag(rc, refunded(o)),
    totalOutstandingSet: (o: OrderRec, _a, rc) =>
      moneyBag(rc, o.cancelledAt != null ? 0 : Math.max(0, o.totalCents - o.receivedCents)),
    currentTotalPriceSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.totalCents * orderCurrentFactor(o)),
    currentSubtotalPriceSet: (o: OrderRec, _a, rc) =>
      moneyBag(rc, (o.lineItemsCents - o.discountCents) * orderCurrentFactor(o)),
    currentTotalTaxSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.taxCents * orderCurrentFactor(o)),
    currentTotalDiscountsSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.discountCents * orderCurrentFactor(o)),
    currentShippingPriceSet: (o: OrderRec, _a, rc) => moneyBag(rc, o.shippingCents * orderCurrentFactor(o)),
    lineItems: conn(
      (o: OrderRec, a, rc) =>
        fromArray(o.lineItems, {
          id: (li) => makeId("LineItem", rc.shop.no, li.seq),
          value: (li) => makeId("LineItem", rc.shop.no, li.seq),
          valueKind: "bigint",
          reverse: !!a.reverse,
        }) as ListSpec<unknown>,
    ),
  },

  LineItem: {
    id: (li: LineItemRec, _a, rc) => g(rc, "LineItem", li.seq),
    title: (li: LineItemRec) => li.title,
    name: (li: LineItemRec) => (li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title),
    variantTitle: (li: LineItemRec) => li.variantTitle,
    sku: (li: LineItemRec) => li.sku,
    vendor: (li: LineItemRec) => li.vendor,
    quantity: (li: LineItemRec) => li.quantity,
    currentQuantity: (li: LineItemRec) => li.currentQuantity,
    unfulfilledQuantity: (li: LineItemRec) => li.currentQuantity,
    refundableQuantity: (li: LineItemRec) => li.currentQuantity,
    taxable: (li: LineItemRec) => li.taxable,
    requiresShipping: (li: LineItemRec) => li.requiresShipping,
    isGiftCard: () => false,
    originalUnitPrice: (li: LineItemRec) => formatMoney(li.unitPriceCents),
    originalUnitPriceSet: (li: LineItemRec, _a, rc) => moneyBag(rc, li.unitPriceCents),
    originalTotalSet: (li: LineItemRec, _a, rc) => moneyBag(rc, li.unitPriceCents * li.quantity),
    discountedUnitPriceSet: (li: LineItemRec, _a, rc) =>
      moneyBag(rc, Math.round((li.unitPriceCents * li.quantity - li.discountCents) / li.quantity)),
    discountedTotalSet: (li: LineItemRec, _a, rc) => moneyBag(rc, li.unitPriceCents * li.quantity - li.discountCents),
    totalDiscountSet: (li: LineItemRec, _a, rc) => moneyBag(rc, li.discountCents),
    product: (li: LineItemRec, _a, rc) => (li.productSeq == null ? null : (rc.shop.products[li.productSeq] ?? null)),
    variant: (li: LineItemRec, _a, rc) => (li.variantSeq == null ? null : (rc.shop.variants[li.variantSeq] ?? null)),
  },

  Customer: {
    id: (c: CustomerRec, _a, rc) => g(rc, "Customer", c.seq),
    legacyResourceId: (c: CustomerRec, _a, rc) => legacy(rc, "Customer", c.seq),
    firstName: (c: CustomerRec) => c.firstName,
    lastName: (c: CustomerRec) => c.lastName,
    displayName: (c: CustomerRec) => [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || "",
    email: (c: CustomerRec) => c.email,
    phone: (c: CustomerRec) => c.phone,
    defaultEmailAddress: (c: CustomerRec) => (c.email ? { emailAddress: c.email } : null),
    defaultPhoneNumber: (c: CustomerRec) => (c.phone ? { phoneNumber: c.phone } : null),
    createdAt: (c: CustomerRec) => iso(c.createdAt),
    updatedAt: (c: CustomerRec) => iso(c.updatedAt),
  },
  CustomerEmailAddress: plain("emailAddress"),
  CustomerPhoneNumber: plain("phoneNumber"),
  MailingAddress: plain(
    "firstName",
    "lastName",
    "name",
    "company",
    "address1",
    "address2",
    "city",
    "province",
    "provinceCode",
    "country",
    "countryCodeV2",
    "zip",
    "phone",
    "formatted",
    "formattedArea",
  ),

  AppInstallation: {
    id: (x: { rc: RequestContext }) => g(x.rc, "AppInstallation", 0),
    accessScopes: (x: { rc: RequestContext }) =>
      (x.rc.scopes ?? x.rc.shop.installation.scopes).map((handle) => ({ handle, description: `Scope ${handle}` })),
    launchUrl: (x: { rc: RequestContext }) =>
      `https://admin.shopify.com/store/${x.rc.shop.domain.replace(/\.myshopify\.com$/, "")}/apps/${x.rc.app.apiKey}`,
    uninstallUrl: () => null,
    app: (x: { rc: RequestContext }) => x.rc.app,
  },
  AccessScope: plain("handle", "description"),
  App: {
    id: (a: EmulatedApp) => `gid://shopify/App/${hash(a.apiKey)}`,
    apiKey: (a: EmulatedApp) => a.apiKey,
    title: () => "Shop Sync",
    handle: () => "shop-sync",
    embedded: () => true,
    webhookApiVersion: (a: EmulatedApp) => a.webhookApiVersion,
  },

  WebhookSubscription: {
    id: (w: WebhookSubscriptionRec, _a, rc) => g(rc, "WebhookSubscription", w.seq),
    legacyResourceId: (w: WebhookSubscriptionRec, _a, rc) => legacy(rc, "WebhookSubscription", w.seq),
    topic: (w: WebhookSubscriptionRec) => w.topic,
    uri: (w: WebhookSubscriptionRec) => w.uri,
    callbackUrl: (w: WebhookSubscriptionRec) => w.uri,
    endpoint: (w: WebhookSubscriptionRec) => ({ __typename: "WebhookHttpEndpoint", callbackUrl: w.uri }),
    name: (w: WebhookSubscriptionRec) => w.name,
    filter: (w: WebhookSubscriptionRec) => w.filter,
    format: (w: WebhookSubscriptionRec) => w.format,
    includeFields: (w: WebhookSubscriptionRec) => w.includeFields,
    metafieldNamespaces: (w: WebhookSubscriptionRec) => w.metafieldNamespaces,
    apiVersion: (w: WebhookSubscriptionRec) => ({ handle: w.apiVersion, displayName: w.apiVersion, supported: true }),
    createdAt: (w: WebhookSubscriptionRec) => iso(w.createdAt),
    updatedAt: (w: WebhookSubscriptionRec) => iso(w.updatedAt),
  },
  WebhookHttpEndpoint: plain("callbackUrl"),
  ApiVersion: plain("handle", "displayName", "supported"),
  WebhookSubscriptionCreatePayload: plain("webhookSubscription", "userErrors"),
  WebhookSubscriptionDeletePayload: plain("deletedWebhookSubscriptionId", "userErrors"),
  UserError: plain("field", "message"),

  BulkOperation: {
    id: (b: BulkOperationRec, _a, rc) => g(rc, "BulkOperation", b.seq),
    status: (b: BulkOperationRec) => b.status,
    type: (b: BulkOperationRec) => b.type,
    errorCode: (b: BulkOperationRec) => b.errorCode,
    createdAt: (b: BulkOperationRec) => iso(b.createdAt),
    completedAt: (b: BulkOperationRec) => isoOrNull(b.completedAt),
    // UnsignedInt64 fields are strings on the wire, as in real responses ("objectCount": "4").
    objectCount: (b: BulkOperationRec) => String(b.objectCount),
    rootObjectCount: (b: BulkOperationRec) => String(b.rootObjectCount),
    fileSize: (b: BulkOperationRec) => (b.fileSize == null ? null : String(b.fileSize)),
    url: (b: BulkOperationRec) => b.url,
    partialDataUrl: (b: BulkOperationRec) => b.partialDataUrl,
    query: (b: BulkOperationRec) => b.query,
  },
  BulkOperationRunQueryPayload: plain("bulkOperation", "userErrors"),
  BulkOperationCancelPayload: plain("bulkOperation", "userErrors"),
  BulkOperationUserError: plain("field", "message", "code"),

  MoneyV2: plain("amount", "currencyCode"),
  MoneyBag: plain("shopMoney", "presentmentMoney"),
  Count: plain("count", "precision"),
  PageInfo: plain("hasNextPage", "hasPreviousPage", "startCursor", "endCursor"),
};

const PLAN_NAMES = { standard: "Basic", advanced: "Advanced", plus: "Shopify Plus" } as const;

function tzAbbreviation(tz: string): string {
  try {
    const part = new Intl.DateTimeFormat("en-US", { timeZone: tz, timeZoneName: "short" })
      .formatToParts(new Date())
      .find((p) => p.type === "timeZoneName");
    return part?.value ?? "UTC";
  } catch {
    return "UTC";
  }
}

function hash(s: string): number {
  let h = 7;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) >>> 0;
  return h;
}

// ---- graphql-js glue -------------------------------------------------------------------------------

export function notImplemented(typeName: string, fieldName: string, path: string): GraphQLError {
  return new GraphQLError(`field ${typeName}.${fieldName} is not implemented by the Shop Sync emulator (at ${path})`, {
    extensions: { code: "NOT_IMPLEMENTED_BY_EMULATOR", typeName, fieldName },
  });
}

function pathString(p: { prev: unknown; key: string | number } | undefined): string {
  const parts: Array<string | number> = [];
  let cur = p as { prev: unknown; key: string | number } | undefined;
  while (cur) {
    parts.unshift(cur.key);
    cur = cur.prev as typeof cur;
  }
  return parts.join(".");
}

/** Resolves a connection field's page (outside bulk mode first/last are required and checked). */
export function resolveConnection(def: ConnectionDef, source: Src, args: Args, rc: RequestContext, fieldName: string) {
  checkPageArgs(args as PageArgs, fieldName, rc.bulkMode);
  return paginate(def.list(source, args, rc), args as PageArgs);
}

const CONNECTION_FIELDS = new Set(["edges", "nodes", "pageInfo"]);
const EDGE_FIELDS = new Set(["cursor", "node"]);

/**
 * Protected customer data the app is not approved for (../customer-data.ts): the error Shopify
 * answers with, or null. Thrown from a field's resolver, graphql-js gives Shopify's shape: the field
 * null, and an `errors[]` entry with its path.
 */
export function customerDataDenial(rc: RequestContext, typeName: string, fieldName: string): GraphQLError | null {
  return fieldDenial(rc.shop, rc.app.apiKey, customerDataAccessOf(rc.shop, rc.app.apiKey), typeName, fieldName);
}

/** graphql-js field resolver: the implemented table, or a named error. */
export const fieldResolver: GraphQLFieldResolver<Src, RequestContext> = (source, args, rc, info) => {
  const typeName = info.parentType.name;
  const def = RESOLVERS[typeName]?.[info.fieldName];
  const denial = customerDataDenial(rc, typeName, info.fieldName);
  if (denial) throw denial;
  if (def) {
    if (isConnectionDef(def)) return resolveConnection(def, source, args, rc, info.fieldName);
    return def(source, args, rc);
  }
  // Connection and edge wrappers are generic: they only ever hold results of implemented connections.
  if (typeName.endsWith("Connection") && CONNECTION_FIELDS.has(info.fieldName)) return source[info.fieldName];
  if (typeName.endsWith("Edge") && EDGE_FIELDS.has(info.fieldName)) return source[info.fieldName];
  throw notImplemented(typeName, info.fieldName, pathString(info.path as never));
};

export const typeResolver: GraphQLTypeResolver<Src, RequestContext> = (value) => {
  const t = (value as { __typename?: string } | null)?.__typename;
  if (!t) throw new GraphQLError("the Shop Sync emulator could not resolve an abstract type");
  return t;
};

export function isImplemented(typeName: string, fieldName: string): boolean {
  return (
    !!RESOLVERS[typeName]?.[fieldName] ||
    (typeName.endsWith("Connection") && CONNECTION_FIELDS.has(fieldName)) ||
    (typeName.endsWith("Edge") && EDGE_FIELDS.has(fieldName))
  );
}
