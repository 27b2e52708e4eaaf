// Checks a bulkOperationRunQuery document the way Shopify does before accepting it, and extracts what
// the runner needs. Messages are the ones Shopify returns (captured by a public conformance suite,
// airhorns/shopify-draft-proxy) where known.
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  isInterfaceType,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import { isImplemented, type BulkUserError } from "../admin-graphql/resolvers";

export interface BulkAnalysis {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  rootField: FieldNode;
}

const invalid = (message: string): BulkUserError => ({ field: ["query"], message, code: "INVALID" });

export function isConnectionType(t: GraphQLOutputType): boolean {
  const named = getNamedType(t);
  return isObjectType(named) && named.name.endsWith("Connection") && !!named.getFields().edges;
}

/** Flattens fields of a selection set (fragments expanded). Directives are honoured by the runner. */
export function fieldsOf(
  sel: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): FieldNode[] {
  const out: FieldNode[] = [];
  for (const s of sel?.selections ?? []) {
    if (s.kind === Kind.FIELD) out.push(s);
    else if (s.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(s.selectionSet, fragments));
    else {
      const f = fragments[s.name.value];
      if (f) out.push(...fieldsOf(f.selectionSet, fragments));
    }
  }
  return out;
}

export function analyzeBulkQuery(
  schema: GraphQLSchema,
  query: string,
): { ok: true; analysis: BulkAnalysis } | { ok: false; userErrors: BulkUserError[] } {
  let document: DocumentNode;
  try {
    document = parse(query);
  } catch (e) {
    const msg = (e as Error).message.replace(/^Syntax Error: /, "");
    return { ok: false, userErrors: [invalid(`Invalid bulk query: syntax error, ${msg}`)] };
  }
  const ops = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = ops[0];
  if (!operation || ops.length > 1)
    return { ok: false, userErrors: [invalid("Invalid bulk query: the document must contain exactly one operation.")] };
  if (operation.operation !== "query") {
    return { ok: false, userErrors: [invalid("Invalid operation type. Only `query` operations are supported.")] };
  }
  const validation = validate(schema, document);
  if (validation.length) {
    return { ok: false, userErrors: validation.slice(0, 5).map((e) => invalid(`Invalid bulk query: ${e.message}`)) };
  }
  const fragments = Object.fromEntries(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((f) => [f.name.value, f]),
  );

  const errors: BulkUserError[] = [];
  let connections = 0;
  let maxDepth = 0;
  let connectionInList = false;
  const viaNodes: string[] = [];
  const withoutParentId: string[] = [];
  const notImplemented: string[] = [];

  const rootFields = fieldsOf(operation.selectionSet, fragments);
  const topLevelNode = rootFields.some((f) => f.name.value === "node" || f.name.value === "nodes");
  if (topLevelNode) errors.push(invalid("Bulk queries cannot contain a top level `node` field."));

  // Walks an object selection. `depth` = connections above; returns whether it holds a connection.
  const walk = (sel: SelectionSetNode | undefined, typeName: string, depth: number, inList: boolean): boolean => {
    const type = schema.getType(typeName);
    if (!type || !(isObjectType(type) || isInterfaceType(type))) return false;
    let hasConnection = false;
    for (const f of fieldsOf(sel, fragments)) {
      const name = f.name.value;
      if (name === "__typename") continue;
      const def = type.getFields()[name];
      if (!def) continue;
      if (isObjectType(type) && !isImplemented(type.name, name)) notImplemented.push(`${type.name}.${name}`);
      if (isConnectionType(def.type)) {
        hasConnection = true;
        connections++;
        maxDepth = Math.max(maxDepth, depth + 1);
        if (inList) connectionInList = true;
        const connFields = fieldsOf(f.selectionSet, fragments);
        if (connFields.some((c) => c.name.value === "nodes")) viaNodes.push(name);
        const nodeType = getNamedType(def.type).name.replace(/Connection$/, "");
        for (const edges of connFields.filter((c) => c.name.value === "edges")) {
          for (const node of fieldsOf(edges.selectionSet, fragments).filter((c) => c.name.value === "node")) {
            const nested = walk(node.selectionSet, nodeType, depth + 1, false);
            const hasId = fieldsOf(node.selectionSet, fragments).some((c) => c.name.value === "id" && !c.alias);
            if (nested && !hasId) withoutParentId.push(name);
          }
        }
      } else if (f.selectionSet) {
        let t = def.type;
        if (isNonNullType(t)) t = t.ofType;
        const list = isListType(t);
        const named = getNamedType(def.type);
        if (walk(f.selectionSet, named.name, depth, inList || list)) hasConnection = true;
      }
    }
    return hasConnection;
  };
  walk(operation.selectionSet, "QueryRoot", 0, false);

  if (viaNodes.length)
    errors.push(
      invalid(
        `All connection fields in a bulk query must select their contents using 'edges' > 'node', e.g: '${viaNodes[0]} { edges { node {'. Selecting via 'nodes' is not supported. Invalid connection fields: '${viaNodes.join("', '")}'.`,
      ),
    );
  if (maxDepth > 2)
    errors.push(invalid("Bulk queries cannot contain connections with a nesting depth greater than 2."));
  if (connections > 5) errors.push(invalid("Bulk queries cannot contain more than 5 connections."));
  if (withoutParentId.length)
    errors.push(
      invalid(
        `The parent 'node' field for a nested connection must select the 'id' field without an alias and must be of 'ID' return type. Connection fields without 'id': ${withoutParentId.join(", ")}.`,
      ),
    );
  if (connectionInList)
    errors.push(invalid("Queries that contain a connection field within a list field are not currently supported."));
  if (connections === 0 && (errors.length === 0 || (topLevelNode && errors.length === 1)))
    errors.push(invalid("Bulk queries must contain at least one connection."));
  if (errors.length === 0 && notImplemented.length)
    errors.push(
      invalid(
        `field ${notImplemented[0]} is not implemented by the Shop Sync emulator (${[...new Set(notImplemented)].join(", ")})`,
      ),
    );
  if (errors.length === 0 && rootFields.length !== 1)
    errors.push(invalid("Bulk queries must contain exactly one top-level field (emulator restriction)."));
  if (errors.length) return { ok: false, userErrors: errors };
  return { ok: true, analysis: { document, operation, fragments, rootField: rootFields[0]! } };
}
