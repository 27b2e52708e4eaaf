// Resolvers for the part of Shopify's Admin schema the emulator implements. The schema itself is
// Shopify's official introspection (never retyped); this table says which (type, field) pairs have
// behaviour. Anything selected outside it fails loudly by name (see `fieldResolver`) instead of
// answering a silent null the app could mistake for real data.
//
// The same table drives both synchronous queries (graphql-js `execute`) and bulk operations (the
// bulk runner walks the selection itself and calls these functions), so the two cannot drift.
//
// One file per type (or per family of types) in ./type-resolvers/; ./type-resolvers/shared.ts holds
// what they share.
import { GraphQLError, type GraphQLFieldResolver, type GraphQLTypeResolver } from "graphql";
import { checkPageArgs, paginate, type PageArgs } from "./connection";
import {
  customerDataDenial,
  isConnectionDef,
  type Args,
  type ConnectionDef,
  type FieldDef,
  type RequestContext,
  type Src,
} from "./type-resolvers/shared";
import { QUERY_ROOT_RESOLVERS } from "./type-resolvers/query-root";
import { MUTATION_RESOLVERS } from "./type-resolvers/mutation";
import { SHOP_RESOLVERS } from "./type-resolvers/shop";
import { PRODUCTS_RESOLVERS } from "./type-resolvers/products";
import { INVENTORY_RESOLVERS } from "./type-resolvers/inventory";
import { LOCATIONS_RESOLVERS } from "./type-resolvers/locations";
import { ORDERS_RESOLVERS } from "./type-resolvers/orders";
import { APP_RESOLVERS } from "./type-resolvers/app";
import { BULK_OPERATIONS_RESOLVERS } from "./type-resolvers/bulk-operations";
import { VALUES_RESOLVERS } from "./type-resolvers/values";

export {
  customerDataDenial,
  isConnectionDef,
  moneyV2,
  type BulkApi,
  type BulkUserError,
  type ConnectionDef,
  type FieldDef,
  type RequestContext,
  type Resolver,
} from "./type-resolvers/shared";

export const RESOLVERS: Record<string, Record<string, FieldDef>> = {
  ...QUERY_ROOT_RESOLVERS,
  ...MUTATION_RESOLVERS,
  ...SHOP_RESOLVERS,
  ...PRODUCTS_RESOLVERS,
  ...INVENTORY_RESOLVERS,
  ...LOCATIONS_RESOLVERS,
  ...ORDERS_RESOLVERS,
  ...APP_RESOLVERS,
  ...BULK_OPERATIONS_RESOLVERS,
  ...VALUES_RESOLVERS,
};

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
