// Runs bulk query operations the way Shopify does: accepted as CREATED, then RUNNING with a growing
// objectCount, then COMPLETED with a signed JSONL url (or CANCELED / FAILED). Output is streamed to a
// temp file one line per object, nested connection rows carry `__parentId`, slashes are escaped as
// Shopify's encoder does, and some children are written after a later parent (Shopify documents that
// children are not guaranteed to follow their parent; the app must join by __parentId).
//
// Rows are built with the same resolver table as synchronous queries (admin-graphql/resolvers.ts),
// walking the parsed selection directly instead of through graphql-js, so 600,000 rows stay cheap.
import { once } from "node:events";
import { createWriteStream, mkdirSync, rmSync, type WriteStream } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isAbstractType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from "graphql";
import { traverse } from "../admin-graphql/connection";
import {
  isConnectionDef,
  notImplemented,
  RESOLVERS,
  customerDataDenial,
  type BulkApi,
  type BulkUserError,
  type ConnectionDef,
  type RequestContext,
} from "../admin-graphql/resolvers";
import type { Clock } from "../clock";
import type { Faults } from "../faults";
import { gid, makeId } from "../state/ids";
import type { BulkErrorCode, BulkOperationRec, ShopRec } from "../state/model";
import type { Store } from "../state/store";
import { analyzeBulkQuery, isConnectionType, type BulkAnalysis } from "./analyze";
import { signUrl } from "./signed-url";

/** Shopify (API 2026-01+) runs up to 5 bulk query operations per shop at once. */
export const MAX_CONCURRENT_BULK_QUERIES = 5;
const ACTIVE = new Set(["CREATED", "RUNNING", "CANCELING"]);

export interface BulkRunnerOptions {
  schema: GraphQLSchema;
  store: Store;
  clock: Clock;
  faults: Faults;
  origin: () => string;
  timeScale: () => number;
  /** HMAC key for result URLs. */
  urlSecret: string;
  urlTtlSeconds: number;
  /** How long an operation stays CREATED before it starts (ms at timeScale 1). */
  startDelayMs?: number;
  dir?: string;
}

export const RESULT_PATH_PREFIX = "/bulk-operation-outputs";

export class BulkRunner implements BulkApi {
  readonly dir: string;
  /** How long an operation stays CREATED before it starts, in ms at timeScale 1 (Shopify: seconds). */
  startDelayMs: number;
  private readonly failNext = new Map<string, BulkErrorCode>();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly o: BulkRunnerOptions) {
    this.dir = o.dir ?? join(tmpdir(), `shop-sync-emulator-bulk-${process.pid}-${Date.now().toString(36)}`);
    mkdirSync(this.dir, { recursive: true });
    this.startDelayMs = o.startDelayMs ?? 500;
  }

  /** The next operation started on `shop` fails with `code` (control API). */
  failNextOperation(shop: string, code: BulkErrorCode = "INTERNAL_SERVER_ERROR"): void {
    this.failNext.set(shop, code);
  }

  resultPath(shop: ShopRec, op: BulkOperationRec, partial = false): string {
    return `${RESULT_PATH_PREFIX}/${shop.domain}/${makeId("BulkOperation", shop.no, op.seq)}${partial ? "-partial" : ""}.jsonl`;
  }

  run(
    rc: RequestContext,
    query: string,
    groupObjects: boolean,
  ): { bulkOperation: BulkOperationRec | null; userErrors: BulkUserError[] } {
    const active = rc.shop.bulkOperations.filter(
      (b) => b && b.type === "QUERY" && b.apiKey === rc.app.apiKey && ACTIVE.has(b.status),
    );
    if (active.length >= MAX_CONCURRENT_BULK_QUERIES) {
      const ids = active.map((b) => gid("BulkOperation", makeId("BulkOperation", rc.shop.no, b!.seq)));
      return {
        bulkOperation: null,
        userErrors: [
          {
            field: null,
            message: `A bulk query operation for this app and shop is already in progress: ${ids.join(", ")}. At most ${MAX_CONCURRENT_BULK_QUERIES} bulk query operations can run at the same time.`,
            code: "LIMIT_REACHED",
          },
        ],
      };
    }
    const analyzed = analyzeBulkQuery(this.o.schema, query);
    if (!analyzed.ok) return { bulkOperation: null, userErrors: analyzed.userErrors };
    const op = rc.store.addBulkOperation(rc.shop, {
      status: "CREATED",
      type: "QUERY",
      query,
      groupObjects,
      errorCode: null,
      createdAt: this.o.clock.now(),
      completedAt: null,
      objectCount: 0,
      rootObjectCount: 0,
      fileSize: null,
      filePath: null,
      url: null,
      partialDataUrl: null,
      apiKey: rc.app.apiKey,
    });
    const failWith =
      this.failNext.get(rc.shop.domain) ??
      (this.o.faults.chance(this.o.faults.settings(rc.shop.domain).bulkFailRate)
        ? (this.o.faults.settings(rc.shop.domain).bulkErrorCode ?? "INTERNAL_SERVER_ERROR")
        : null);
    this.failNext.delete(rc.shop.domain);
    const job = this.execute({ ...rc, bulkMode: true, searchWarnings: [] }, op, analyzed.analysis, failWith).catch(
      (err: unknown) => {
        // Must not reject unobserved: an internal error fails the operation like Shopify's 500s do.
        // A denied root (a missing scope, or protected customer data without approval) fails it with
        // ACCESS_DENIED, which the schema documents as "returned access denied".
        op.status = "FAILED";
        op.errorCode = isAccessDenied(err) ? "ACCESS_DENIED" : "INTERNAL_SERVER_ERROR";
        op.completedAt = this.o.clock.now();
        (op as { lastError?: string }).lastError = String(err);
        rc.store.finishBulkOperation(rc.shop, op);
      },
    );
    this.running.add(job);
    void job.finally(() => this.running.delete(job));
    return { bulkOperation: op, userErrors: [] };
  }

  cancel(rc: RequestContext, op: BulkOperationRec) {
    if (op.status === "CREATED" || op.status === "RUNNING") {
      op.status = "CANCELING";
      return { bulkOperation: op, userErrors: [] };
    }
    if (op.status === "CANCELING") return { bulkOperation: op, userErrors: [] };
    return {
      bulkOperation: op,
      userErrors: [
        { field: null, message: `A bulk operation cannot be canceled when it is ${op.status.toLowerCase()}` },
      ],
    };
  }

  /** Resolves when every running operation has settled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running.size) await Promise.allSettled([...this.running]);
  }

  async close(): Promise<void> {
    for (const shop of this.o.store.shops.values())
      for (const op of shop.bulkOperations) if (op && ACTIVE.has(op.status)) op.status = "CANCELING";
    await this.idle();
    rmSync(this.dir, { recursive: true, force: true });
  }

  // ---- execution -----------------------------------------------------------------------------

  private async execute(rc: RequestContext, op: BulkOperationRec, a: BulkAnalysis, failWith: BulkErrorCode | null) {
    const { clock } = this.o;
    const shop = rc.shop;
    await sleep(this.startDelayMs * this.o.timeScale());
    if (op.status === "CANCELING") return this.finish(rc, op, "CANCELED");
    op.status = "RUNNING";
    // Read through a function: cancellation arrives from another request while this loop runs.
    const canceling = () => (op.status as string) === "CANCELING";

    const file = join(this.dir, `${shop.domain}-${op.seq}.jsonl`);
    const out = createWriteStream(file);
    const writer = new LineWriter(out);
    const walker = new RowWalker(this.o.schema, rc, a.fragments);
    let deferred: string[] = [];
    let failed = false;
    // Fail part-way through (never on an empty file, so partialDataUrl has something to serve).
    const failAt = failWith ? 3 : Infinity;
    try {
      const roots = walker.roots(a.rootField);
      let k = 0;
      for (const root of roots) {
        if (canceling()) break;
        if (op.rootObjectCount >= failAt) {
          failed = true;
          break;
        }
        const block = walker.block(root.typeName, root.value, root.selection, null);
        // Every 7th parent with 2+ children has its last child's subtree written after the next
        // parent, as in Shopify's documented sample. groupObjects keeps children with their parent.
        let lines = block.lines;
        let held: string[] = [];
        if (!op.groupObjects && k % 7 === 3 && block.lastChildAt !== null && block.childCount >= 2) {
          held = lines.slice(block.lastChildAt);
          lines = lines.slice(0, block.lastChildAt);
        }
        for (const l of lines) await writer.write(l);
        for (const l of deferred) await writer.write(l);
        deferred = held;
        op.objectCount = writer.lines;
        op.rootObjectCount++;
        k++;
        // Let polls and other requests in; also where cancellation is noticed.
        if (k % 200 === 0) await new Promise((r) => setImmediate(r));
      }
      if (!failed && !canceling()) for (const l of deferred) await writer.write(l);
      op.objectCount = writer.lines;
      // Fewer roots than failAt: the operation still fails (with all it wrote as partial data), so a
      // requested failure is never lost on a small shop.
      if (failWith && !canceling()) failed = true;
    } finally {
      await writer.end();
    }
    op.fileSize = writer.bytes;
    op.filePath = file;
    if (canceling()) return this.finish(rc, op, "CANCELED");
    if (failed) {
      op.errorCode = failWith;
      if (writer.lines > 0)
        op.partialDataUrl = signUrl(
          this.o.origin(),
          this.resultPath(shop, op, true),
          this.o.urlSecret,
          clock.now(),
          this.o.urlTtlSeconds,
        );
      return this.finish(rc, op, "FAILED");
    }
    // `url` is null when the query matched nothing, as in Shopify.
    if (writer.lines > 0)
      op.url = signUrl(this.o.origin(), this.resultPath(shop, op), this.o.urlSecret, clock.now(), this.o.urlTtlSeconds);
    else op.fileSize = null;
    return this.finish(rc, op, "COMPLETED");
  }

  private finish(rc: RequestContext, op: BulkOperationRec, status: "COMPLETED" | "CANCELED" | "FAILED") {
    op.status = status;
    op.completedAt = this.o.clock.now();
    rc.store.finishBulkOperation(rc.shop, op);
  }
}

function isAccessDenied(err: unknown): boolean {
  return err instanceof GraphQLError && err.extensions.code === "ACCESS_DENIED";
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : new Promise((r) => setImmediate(r));
}

/** Buffers lines into ~64 KB chunks and honours stream backpressure. */
class LineWriter {
  lines = 0;
  bytes = 0;
  private buf: string[] = [];
  private bufLen = 0;
  constructor(private readonly out: WriteStream) {}
  async write(line: string): Promise<void> {
    this.buf.push(line);
    this.bufLen += line.length;
    this.lines++;
    if (this.bufLen > 65_536) await this.flush();
  }
  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const chunk = Buffer.from(this.buf.join(""), "utf8");
    this.buf = [];
    this.bufLen = 0;
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, "drain");
  }
  async end(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  }
}

/** JSON with `/` escaped as `\/`, as Shopify's JSONL has it ("gid:\/\/shopify\/Product\/1"). */
export function jsonLine(obj: object): string {
  return JSON.stringify(obj).replace(/\//g, "\\/") + "\n";
}

interface Block {
  lines: string[];
  /** Index in `lines` where the last direct child's subtree starts. */
  lastChildAt: number | null;
  childCount: number;
}

/** Builds rows for one node and its nested connections, by the resolver table. */
class RowWalker {
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rc: RequestContext,
    private readonly fragments: Record<string, FragmentDefinitionNode>,
  ) {}

  /** The root field's objects: every node of a connection, or the single object. */
  *roots(field: FieldNode): Generator<{ typeName: string; value: unknown; selection: SelectionSetNode | undefined }> {
    const queryType = this.schema.getQueryType()!;
    const def = queryType.getFields()[field.name.value]!;
    const denial = customerDataDenial(this.rc, "QueryRoot", field.name.value);
    if (denial) throw denial;
    const args = getArgumentValues(def, field, {});
    const r = RESOLVERS.QueryRoot?.[field.name.value];
    if (!r) throw notImplemented("QueryRoot", field.name.value, field.name.value);
    if (isConnectionDef(r)) {
      const nodeType = connectionNodeType(def.type);
      const sel = this.nodeSelection(field);
      for (const v of traverse(r.list({}, args, this.rc))) yield { typeName: nodeType, value: v, selection: sel };
    } else {
      const v = r({}, args, this.rc);
      if (v != null) yield { typeName: getNamedType(def.type).name, value: v, selection: field.selectionSet };
    }
  }

  private nodeSelection(connField: FieldNode): SelectionSetNode | undefined {
    const selections = this.collect(connField.selectionSet)
      .filter((f) => f.name.value === "edges")
      .flatMap((e) => this.collect(e.selectionSet).filter((n) => n.name.value === "node"))
      .flatMap((n) => n.selectionSet?.selections ?? []);
    return { kind: Kind.SELECTION_SET, selections };
  }

  private collect(sel: SelectionSetNode | undefined, typeName?: string): FieldNode[] {
    const out: FieldNode[] = [];
    for (const s of sel?.selections ?? []) {
      if (!this.included(s)) continue;
      if (s.kind === Kind.FIELD) out.push(s);
      else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (!s.typeCondition || !typeName || this.typeMatches(s.typeCondition.name.value, typeName))
          out.push(...this.collect(s.selectionSet, typeName));
      } else {
        const f = this.fragments[s.name.value];
        if (f && (!typeName || this.typeMatches(f.typeCondition.name.value, typeName)))
          out.push(...this.collect(f.selectionSet, typeName));
      }
    }
    return out;
  }

  private included(node: Parameters<typeof getDirectiveValues>[1]): boolean {
    const skip = getDirectiveValues(GraphQLSkipDirective, node, {});
    if (skip?.if === true) return false;
    const include = getDirectiveValues(GraphQLIncludeDirective, node, {});
    return include?.if !== false;
  }

  private typeMatches(condition: string, typeName: string): boolean {
    if (condition === typeName) return true;
    const cond = this.schema.getType(condition);
    const t = this.schema.getType(typeName);
    return !!cond && isAbstractType(cond) && isObjectType(t) && this.schema.isSubType(cond, t);
  }

  block(typeName: string, source: unknown, selection: SelectionSetNode | undefined, parentId: string | null): Block {
    const children: Array<{ def: ConnectionDef; field: GraphQLField<unknown, unknown>; node: FieldNode }> = [];
    const row = this.object(typeName, source, selection, children);
    if (parentId !== null) row.__parentId = parentId;
    const lines = [jsonLine(row)];
    let lastChildAt: number | null = null;
    let childCount = 0;
    if (children.length) {
      const idDef = RESOLVERS[typeName]?.id;
      const myId = typeof idDef === "function" ? String(idDef(source, {}, this.rc)) : null;
      for (const c of children) {
        const args = getArgumentValues(c.field, c.node, {});
        const nodeType = connectionNodeType(c.field.type);
        const sel = this.nodeSelection(c.node);
        for (const child of traverse(c.def.list(source, args, this.rc))) {
          lastChildAt = lines.length;
          childCount++;
          const b = this.block(nodeType, child, sel, myId);
          for (const l of b.lines) lines.push(l);
        }
      }
    }
    return { lines, lastChildAt, childCount };
  }

  /** One object's own fields (connections are collected into `children` instead). */
  private object(
    typeName: string,
    source: unknown,
    selection: SelectionSetNode | undefined,
    children: Array<{ def: ConnectionDef; field: GraphQLField<unknown, unknown>; node: FieldNode }>,
  ): Record<string, unknown> {
    const type = this.schema.getType(typeName) as GraphQLObjectType;
    const fields = type.getFields();
    const row: Record<string, unknown> = {};
    for (const f of this.collect(selection, typeName)) {
      const name = f.name.value;
      const key = f.alias?.value ?? name;
      if (name === "__typename") {
        row[key] = typeName;
        continue;
      }
      const fieldDef = fields[name]!;
      // An unapproved protected field is null in the file; a bulk result has no errors channel.
      if (customerDataDenial(this.rc, typeName, name)) {
        row[key] = null;
        continue;
      }
      const def = RESOLVERS[typeName]?.[name];
      if (isConnectionDef(def)) {
        children.push({ def, field: fieldDef as GraphQLField<unknown, unknown>, node: f });
        continue;
      }
      if (!def) throw notImplemented(typeName, name, name);
      const value = def(source, getArgumentValues(fieldDef, f, {}), this.rc);
      row[key] = this.complete(fieldDef.type, value, f.selectionSet, children);
    }
    return row;
  }

  private complete(
    type: GraphQLOutputType,
    value: unknown,
    selection: SelectionSetNode | undefined,
    children: Array<{ def: ConnectionDef; field: GraphQLField<unknown, unknown>; node: FieldNode }>,
  ): unknown {
    if (isNonNullType(type)) return this.complete(type.ofType, value, selection, children);
    if (value == null) return null;
    if (isListType(type)) return (value as unknown[]).map((v) => this.complete(type.ofType, v, selection, children));
    if (isLeafType(type)) return value;
    const typeName = isAbstractType(type) ? (value as { __typename: string }).__typename : type.name;
    return this.object(typeName, value, selection, children);
  }
}

function connectionNodeType(t: GraphQLOutputType): string {
  if (!isConnectionType(t)) throw new Error("not a connection");
  return getNamedType(t).name.replace(/Connection$/, "");
}
