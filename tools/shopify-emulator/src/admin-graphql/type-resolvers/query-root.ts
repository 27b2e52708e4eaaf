// QueryRoot: the Admin API's entry points the emulator implements (shop, products, orders, locations,
// inventory, bulk operations, webhook subscriptions, node/nodes).
import { levelOf, makeId, parseGid } from "../../state/ids";
import { type BulkOperationRec, type LocationRec } from "../../state/model";
import { fromArray, type ListSpec } from "../connection";
import {
  type FieldDef,
  conn,
  requireScope,
  orderVisible,
  seqFromGid,
  invalidGid,
  sortKeyNotImplemented,
  type SortDef,
  collection,
  live,
  ID_SORT,
  num,
  str,
  itemFields,
  levelRef,
  levelExists,
  lookupNode,
  itemRef,
  productList,
  variantList,
  orderList,
  countOf,
} from "./shared";

export const QUERY_ROOT_RESOLVERS: Record<string, Record<string, FieldDef>> = {
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
};
