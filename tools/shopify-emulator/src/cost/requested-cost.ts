// Shopify Admin GraphQL query cost, computed from the query before it runs (`requestedQueryCost`)
// and from its result afterwards (`actualQueryCost`).
//
// Shopify's published rules (objects 1, scalars and enums 0, connections "sized by first/last",
// mutations 10) do not reproduce the numbers Shopify really charges. The rules below were fitted to
// 942 real requests captured against a live store (test-fixtures/cost-calibration/cases.jsonl) and
// each one says which evidence made it necessary. `cost-rules.ts` holds the few per-type and
// per-field numbers; this file holds the walk.
import {
  GraphQLError,
  Kind,
  getNamedType,
  isAbstractType,
  isInterfaceType,
  isLeafType,
  isObjectType,
  parse,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type DirectiveNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import {
  CONNECTION_BASE_COST,
  DEFAULT_COST_TABLES,
  connectionMultiplier,
  fieldCostOverride,
  mutationBaseCost,
  typeCost,
  type CostTables,
} from "./cost-rules";

/** Shopify refuses, before running it, any single query whose requested cost is above this. */
export const MAX_QUERY_COST = 1000;

/** The query cannot be costed: it does not parse, names no runnable operation, or is not a query. */
export class QueryCostError extends Error {
  override name = "QueryCostError";
}

export interface CostOptions {
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  /** Shopify's hand-set numbers; the fitted defaults unless a test replaces them. */
  tables?: CostTables;
}

/** A GraphQL document as text or already parsed. */
export type CostInput = string | DocumentNode;

/** `requestedQueryCost`: what Shopify reserves from the bucket before running the query. */
export function computeRequestedCost(schema: GraphQLSchema, document: CostInput, options: CostOptions = {}): number {
  const walk = prepare(schema, document, options);
  return walk.operationCost(undefined);
}

/**
 * `actualQueryCost`: what Shopify finally charges once the query ran. The same rules as the
 * requested cost, except that each connection is sized by the number of nodes it actually returned
 * instead of by `first`/`last`, and a null object (not found) is charged like a found one (the
 * lookup happened). Shopify refunds the difference between requested and actual cost.
 *
 * `data` is the `data` member of the response. Where the response has no value for a field (it
 * was not executed, or an error removed it) the requested cost of that field is charged.
 */
export function computeActualCost(
  schema: GraphQLSchema,
  document: CostInput,
  options: CostOptions,
  data: unknown,
): number {
  const walk = prepare(schema, document, options);
  return walk.operationCost(isRecord(data) ? data : undefined);
}

/** Requested cost plus whether Shopify would refuse the query for it (cost above 1,000). */
export function checkQueryCost(
  schema: GraphQLSchema,
  document: CostInput,
  options: CostOptions = {},
): { requestedQueryCost: number; exceedsLimit: boolean } {
  const requestedQueryCost = computeRequestedCost(schema, document, options);
  return { requestedQueryCost, exceedsLimit: exceedsMaxQueryCost(requestedQueryCost) };
}

export function exceedsMaxQueryCost(requestedQueryCost: number): boolean {
  return requestedQueryCost > MAX_QUERY_COST;
}

// ---------------------------------------------------------------------------------------------

function prepare(schema: GraphQLSchema, input: CostInput, options: CostOptions): CostWalk {
  let document: DocumentNode;
  if (typeof input === "string") {
    try {
      document = parse(input);
    } catch (error) {
      const message = error instanceof GraphQLError ? error.message : String(error);
      throw new QueryCostError(`GraphQL syntax error: ${message}`);
    }
  } else {
    document = input;
  }
  const operations = document.definitions.filter(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  );
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  }
  const wanted = options.operationName ?? undefined;
  let operation: OperationDefinitionNode | undefined;
  if (wanted) {
    operation = operations.find((o) => o.name?.value === wanted);
    if (!operation) throw new QueryCostError(`Unknown operation named "${wanted}".`);
  } else if (operations.length === 1) {
    operation = operations[0];
  } else if (operations.length === 0) {
    throw new QueryCostError("The document contains no operation.");
  } else {
    throw new QueryCostError("Must provide operation name if query contains multiple operations.");
  }
  if (!operation) throw new QueryCostError("The document contains no operation.");

  // Variables: the request's values over the operation's declared defaults.
  const variables: Record<string, unknown> = {};
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) {
      variables[definition.variable.name.value] = valueFromASTUntyped(definition.defaultValue);
    }
  }
  Object.assign(variables, options.variables ?? {});

  let root: GraphQLObjectType | null | undefined;
  if (operation.operation === "query") root = schema.getQueryType();
  else if (operation.operation === "mutation") root = schema.getMutationType();
  else throw new QueryCostError("Subscriptions are not supported by the Admin API.");
  if (!root) throw new QueryCostError(`The schema has no ${operation.operation} type.`);
  return new CostWalk(schema, operation, root, fragments, variables, options.tables ?? DEFAULT_COST_TABLES);
}

/** A response value for one field: `undefined` when costing the request (no result yet). */
type Result = unknown;

class CostWalk {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly operation: OperationDefinitionNode,
    private readonly root: GraphQLObjectType,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly variables: Record<string, unknown>,
    private readonly tables: CostTables,
  ) {}

  operationCost(data: Record<string, unknown> | undefined): number {
    const fields = this.collectFields([this.operation.selectionSet], this.root);
    if (this.operation.operation !== "mutation") {
      return this.sumFields(fields, this.root, data);
    }
    // Mutations: 10 per root mutation field (Shopify: "mutations cost 10"; the data: five aliased
    // discountCodeBasicCreate calls in one request = 50). What the payload selects is charged on
    // top by the ordinary rules, except that the payload object, the records it returns and
    // `userErrors` are part of the 10.
    let total = 0;
    for (const [key, nodes] of fields) {
      const first = nodes[0];
      if (!first) continue;
      const def = this.fieldDef(this.root, first.name.value);
      const payloadType = def ? getNamedType(def.type) : undefined;
      const value = data?.[key];
      total += mutationBaseCost(first.name.value, this.tables);
      total += this.selectionCost(nodes, payloadType, value, data !== undefined, true);
    }
    return total;
  }

  // --- selections --------------------------------------------------------------------------

  private sumFields(
    fields: Map<string, FieldNode[]>,
    parent: GraphQLNamedType | undefined,
    result: Record<string, unknown> | undefined,
  ): number {
    let total = 0;
    for (const [key, nodes] of fields) {
      total += this.fieldCost(nodes, parent, result?.[key], result !== undefined);
    }
    return total;
  }

  /**
   * Cost of the selections made on a value of (possibly abstract) type `type`.
   * Shopify: "Interface/Union: maximum of possible selections". For an abstract type each possible
   * concrete type gets the fields that would run for it (common fields plus the fragments whose
   * type condition it satisfies) and the most expensive one is charged. When the result is known,
   * its `__typename` is not necessarily selected, so the same maximum is used.
   */
  private subselectionCost(
    selectionSets: SelectionSetNode[],
    type: GraphQLNamedType | undefined,
    result: Record<string, unknown> | undefined,
  ): number {
    if (!type || !isAbstractType(type)) {
      return this.sumFields(this.collectFields(selectionSets, type), type, result);
    }
    // Only types named by a fragment can select more than the common fields, so group the
    // possible types by which fragment conditions they satisfy and cost each group once.
    const conditions = new Set<string>();
    this.gatherConditions(selectionSets, conditions);
    const seen = new Set<string>();
    let best = this.sumFields(this.collectFields(selectionSets, type), type, result);
    for (const candidate of this.schema.getPossibleTypes(type)) {
      const signature = [...conditions]
        .filter((c) => this.conditionApplies(c, candidate))
        .sort()
        .join("|");
      if (seen.has(signature)) continue;
      seen.add(signature);
      const cost = this.sumFields(this.collectFields(selectionSets, candidate), candidate, result);
      if (cost > best) best = cost;
    }
    return best;
  }

  private gatherConditions(selectionSets: SelectionSetNode[], into: Set<string>): void {
    for (const set of selectionSets) {
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          if (selection.typeCondition) into.add(selection.typeCondition.name.value);
          this.gatherConditions([selection.selectionSet], into);
        } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const fragment = this.fragments.get(selection.name.value);
          if (fragment) {
            into.add(fragment.typeCondition.name.value);
            this.gatherConditions([fragment.selectionSet], into);
          }
        }
      }
    }
  }

  private conditionApplies(condition: string, type: GraphQLNamedType | undefined): boolean {
    if (!type) return true; // unknown parent (field absent from this schema): assume it applies
    if (condition === type.name) return true;
    const conditionType = this.schema.getType(condition);
    if (!conditionType) return false;
    if (isAbstractType(conditionType)) {
      if (isObjectType(type)) return this.schema.isSubType(conditionType, type);
      // Abstract parent: a fragment on another abstract type is costed per concrete type above;
      // for the "common fields" pass it does not apply.
      return false;
    }
    return false;
  }

  /**
   * graphql-js `collectFields` semantics: fields grouped by response key (the same field selected
   * twice is charged once, which the data shows: a selection repeated with different sub-fields
   * costs the same as the merged one), fragments expanded when their type condition applies,
   * `@skip`/`@include` honoured.
   */
  private collectFields(
    selectionSets: SelectionSetNode[],
    type: GraphQLNamedType | undefined,
    into = new Map<string, FieldNode[]>(),
    visited = new Set<string>(),
  ): Map<string, FieldNode[]> {
    for (const set of selectionSets) {
      for (const selection of set.selections) {
        if (!this.shouldInclude(selection)) continue;
        if (selection.kind === Kind.FIELD) {
          const key = selection.alias?.value ?? selection.name.value;
          const list = into.get(key);
          if (list) list.push(selection);
          else into.set(key, [selection]);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition?.name.value;
          if (condition && !this.conditionApplies(condition, type)) continue;
          this.collectFields([selection.selectionSet], type, into, visited);
        } else {
          const name = selection.name.value;
          if (visited.has(name)) continue;
          const fragment = this.fragments.get(name);
          if (!fragment) throw new QueryCostError(`Unknown fragment "${name}".`);
          if (!this.conditionApplies(fragment.typeCondition.name.value, type)) continue;
          visited.add(name);
          this.collectFields([fragment.selectionSet], type, into, visited);
        }
      }
    }
    return into;
  }

  private shouldInclude(node: { directives?: readonly DirectiveNode[] }): boolean {
    for (const directive of node.directives ?? []) {
      const name = directive.name.value;
      if (name !== "skip" && name !== "include") continue;
      const arg = directive.arguments?.find((a) => a.name.value === "if");
      const value = arg ? valueFromASTUntyped(arg.value, this.variables) : undefined;
      if (name === "skip" && value === true) return false;
      if (name === "include" && value === false) return false;
    }
    return true;
  }

  // --- fields ------------------------------------------------------------------------------

  private fieldDef(parent: GraphQLNamedType | undefined, name: string): GraphQLField<unknown, unknown> | undefined {
    if (parent && (isObjectType(parent) || isInterfaceType(parent))) return parent.getFields()[name];
    return undefined;
  }

  /**
   * Cost of one response key. `hasResult` says whether we are costing a result (actual cost);
   * `result` is then the field's value in the response.
   */
  private fieldCost(
    nodes: FieldNode[],
    parent: GraphQLNamedType | undefined,
    result: Result,
    hasResult: boolean,
  ): number {
    return this.selectionCost(nodes, parent, result, hasResult, false);
  }

  private selectionCost(
    nodes: FieldNode[],
    parentOrPayload: GraphQLNamedType | undefined,
    result: Result,
    hasResult: boolean,
    isMutationPayload: boolean,
    ownIsFree = false,
  ): number {
    const first = nodes[0];
    if (!first) return 0;
    const name = first.name.value;
    if (name === "__typename") return 0; // a scalar; introspection (__type) is costed like data

    if (isMutationPayload) {
      // The payload object is covered by the mutation's 10; its fields are charged normally.
      const payloadType = parentOrPayload;
      const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      const fields = this.collectFields(sets, payloadType);
      let total = 0;
      const record = hasResult && isRecord(result) ? result : undefined;
      for (const [key, fieldNodes] of fields) {
        const fieldName = fieldNodes[0]?.name.value;
        if (fieldName === "userErrors") continue; // part of the base 10 (see cost-rules.ts)
        // The records the mutation returns (`product`, `collection`, …) were loaded by the mutation
        // itself: their own 1 is part of the 10, what is selected below them is charged.
        total += this.selectionCost(fieldNodes, payloadType, record?.[key], record !== undefined, false, true);
      }
      return total;
    }

    const parent = parentOrPayload;
    const def = this.fieldDef(parent, name);
    const selectionSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
    const returnType: GraphQLNamedType | undefined = def ? getNamedType(def.type) : undefined;

    if (def && returnType && isLeafType(returnType)) {
      return fieldCostOverride(parent?.name, name, def, this.tables) ?? 0;
    }
    if (!def && selectionSets.length === 0) return 0; // unknown field without selection: a scalar

    const connection = this.isConnection(def, returnType, selectionSets);
    if (connection) return this.connectionCost(first, def, returnType, selectionSets, result, hasResult);

    // An object, or a plain list of objects, which Shopify charges like one object: location {
    // suggestedAddresses { … } } and inventoryLevel { quantities(names: […]) { … } } cost 1 each.
    const own = ownIsFree
      ? 0
      : def
        ? (fieldCostOverride(parent?.name, name, def, this.tables) ?? typeCost(returnType, this.tables))
        : 1;
    if (hasResult && result === undefined) {
      // Not in the response (skipped by an error): charge what was requested.
      return own + this.subselectionCost(selectionSets, returnType, undefined);
    }
    if (!hasResult) return own + this.subselectionCost(selectionSets, returnType, undefined);
    if (result === null) return own; // looked up, nothing found: nothing below was resolved
    if (Array.isArray(result)) {
      let worst = 0;
      for (const item of flatten(result)) {
        worst = Math.max(worst, this.subselectionCost(selectionSets, returnType, asRecord(item)));
      }
      return own + worst;
    }
    return own + this.subselectionCost(selectionSets, returnType, asRecord(result));
  }

  /**
   * A Relay connection: its type ends in "Connection" and has `edges`/`nodes`. A field the schema
   * lacks (captured on an older API version) counts as one when it selects `edges` or `nodes`;
   * otherwise such a field is an object (1) if it has a selection set and a scalar (0) if not.
   */
  private isConnection(
    def: GraphQLField<unknown, unknown> | undefined,
    returnType: GraphQLNamedType | undefined,
    selectionSets: SelectionSetNode[],
  ): boolean {
    if (def && returnType) {
      if (!isObjectType(returnType) || !returnType.name.endsWith("Connection")) return false;
      const fields = returnType.getFields();
      return "edges" in fields || "nodes" in fields;
    }
    return selectionSets.some((set) =>
      set.selections.some((s) => s.kind === Kind.FIELD && (s.name.value === "edges" || s.name.value === "nodes")),
    );
  }

  private pageSize(field: FieldNode, def: GraphQLField<unknown, unknown> | undefined): number {
    for (const name of ["first", "last"]) {
      const arg = field.arguments?.find((a) => a.name.value === name);
      const value = arg ? valueFromASTUntyped(arg.value, this.variables) : undefined;
      if (typeof value === "number") return value;
    }
    for (const name of ["first", "last"]) {
      const value = def?.args.find((a) => a.name === name)?.defaultValue;
      if (typeof value === "number") return value;
    }
    return 0;
  }

  /**
   * Connection = 2 + f(page size) × (cost of one node), where "one node" is everything selected
   * per item: the `nodes { … }` branch and the `edges { node { … } }` branch are both charged when
   * both are selected (the data: selecting both costs exactly the sum). `pageInfo`, `cursor` and
   * other connection-level fields are covered by the 2. f is in cost-rules.ts.
   */
  private connectionCost(
    field: FieldNode,
    def: GraphQLField<unknown, unknown> | undefined,
    connectionType: GraphQLNamedType | undefined,
    selectionSets: SelectionSetNode[],
    result: Result,
    hasResult: boolean,
  ): number {
    const fields = this.collectFields(selectionSets, connectionType);
    const connectionFields = connectionType && isObjectType(connectionType) ? connectionType.getFields() : undefined;
    const record = hasResult && isRecord(result) ? result : undefined;
    const measured = hasResult && record !== undefined;

    let perNode = 0;
    let returned = 0;
    for (const [key, nodes] of fields) {
      const name = nodes[0]?.name.value;
      const sets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      const value = record?.[key];
      if (name === "nodes") {
        const itemType = connectionFields?.["nodes"] ? getNamedType(connectionFields["nodes"].type) : undefined;
        const items = Array.isArray(value) ? flatten(value) : undefined;
        returned = Math.max(returned, items?.length ?? 0);
        perNode += this.itemCost(sets, itemType, items, measured);
      } else if (name === "edges") {
        const edgeType = connectionFields?.["edges"] ? getNamedType(connectionFields["edges"].type) : undefined;
        const edges = Array.isArray(value) ? flatten(value) : undefined;
        returned = Math.max(returned, edges?.length ?? 0);
        perNode += this.edgeCost(sets, edgeType, edges, measured);
      }
      // pageInfo, totalCount-like scalars: included in the connection's base cost.
    }
    const size = measured ? returned : this.pageSize(field, def);
    const multiplier = measured ? connectionMultiplier(size, true) : connectionMultiplier(size, false);
    return CONNECTION_BASE_COST + multiplier * perNode;
  }

  /** Cost of one `nodes` item: 1 for the node object plus its selection (worst item if measured). */
  private itemCost(
    sets: SelectionSetNode[],
    itemType: GraphQLNamedType | undefined,
    items: unknown[] | undefined,
    measured: boolean,
  ): number {
    // A page of scalars (`productTags(first: 3) { nodes }`) costs only the connection's 2.
    if (itemType && isLeafType(itemType)) return 0;
    // Each item of a page costs 1 even when its type is free elsewhere (MailingAddress nodes of
    // addressesV2 do): the page lookup is what is charged.
    const own = 1;
    if (!measured || items === undefined) return own + this.subselectionCost(sets, itemType, undefined);
    let worst = 0;
    for (const item of items) {
      if (item === null) continue;
      worst = Math.max(worst, this.subselectionCost(sets, itemType, asRecord(item)));
    }
    return own + worst;
  }

  /** Cost of one edge: its `node` like a `nodes` item; `cursor` and other edge fields are free. */
  private edgeCost(
    sets: SelectionSetNode[],
    edgeType: GraphQLNamedType | undefined,
    edges: unknown[] | undefined,
    measured: boolean,
  ): number {
    const fields = this.collectFields(sets, edgeType);
    const edgeFields = edgeType && isObjectType(edgeType) ? edgeType.getFields() : undefined;
    let total = 0;
    for (const [key, nodes] of fields) {
      const name = nodes[0]?.name.value;
      if (name !== "node") continue;
      const nodeSets = nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));
      const nodeType = edgeFields?.["node"] ? getNamedType(edgeFields["node"].type) : undefined;
      const items = measured && edges ? edges.map((e) => (isRecord(e) ? e[key] : null)) : undefined;
      total += this.itemCost(nodeSets, nodeType, items, measured);
    }
    return total;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

function flatten(values: unknown[]): unknown[] {
  return values.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}
