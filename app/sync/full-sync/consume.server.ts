// Takes a bulk operation's mapped lines (parsed and mapped on the reader thread, bulk-lines.server.ts)
// and hands them on in batches, each batch with the checkpoint that is true once that batch is
// committed. Nothing here holds the file: lines arrive in chunks and are dropped after their batch is
// written.
//
// Joining children to parents: a child line (variant, line item) names its parent in `__parentId`.
// Shopify writes the parent first, but not always just before its children (another parent may come
// between), so the join never relies on adjacency:
// - a child whose parent was seen recently (a bounded map of recent parents) goes into the batch;
// - otherwise its parent is looked up in the database (a parent committed before a crash, or written
//   by a webhook);
// - otherwise the child waits, keyed by parent id, until its parent arrives. Waiting lines are part of
//   the checkpoint (their text and line number), so a batch boundary never loses them and the
//   checkpoint can still move past them.
// Variants and line items reference their product/order (foreign keys), so within a batch parents are
// written before children; line items also take their order's updatedAt (their newest-wins clock).
import { fromBulkLine, type BulkRow } from "~/sync/engine/from-graphql";
import type { MappedChunk } from "./bulk-lines.server";
import type { InventoryLevelRow, LineItemRow, LocationRow, OrderRow, ProductRow, VariantRow } from "~/sync/engine/rows";

/** A child line still waiting for its parent; kept in the checkpoint. */
export type WaitingLine = {
  line: number;
  text: string;
};

// Types, not interfaces: a checkpoint is stored as JSON, and only type aliases are assignable to
// Prisma's JSON input type.
export type BulkCheckpoint = {
  bulkOperationId: string;
  /** Every line up to this one (1-based) is committed or waiting in `waiting`. */
  linesCommitted: number;
  waiting: WaitingLine[];
  /** How many times the operation's status was polled (spaces the next poll). */
  polls?: number;
  /** Bulk operations this sync started again before this one (run.server.ts, `restart`), and why. */
  restarts?: number;
  restartReason?: string;
};

export interface Batch {
  products: ProductRow[];
  variants: VariantRow[];
  locations: LocationRow[];
  inventoryLevels: InventoryLevelRow[];
  orders: OrderRow[];
  lineItems: LineItemRow[];
  /** Lines this batch covers (new lines read, not counting released waiting lines). */
  lines: number;
  /** The checkpoint to commit with this batch. */
  linesCommitted: number;
  waiting: WaitingLine[];
}

export interface ParentLookup {
  /** Of these product ids, the ones stored. */
  products(ids: string[]): Promise<Set<string>>;
  /** Of these order ids, the stored ones with their updatedAt. */
  orders(ids: string[]): Promise<Map<string, Date>>;
}

export interface ConsumeOptions {
  /** The file's mapped lines after `from.linesCommitted` (readBulkResult). */
  chunks: AsyncIterable<MappedChunk>;
  /** Resume point: lines up to this one are skipped; `waiting` are re-joined. */
  from: Pick<BulkCheckpoint, "linesCommitted" | "waiting">;
  /** Lines per batch (one transaction each). */
  batchLines: number;
  lookup: ParentLookup;
  commit(batch: Batch): Promise<void>;
  /** Checked between batches: stop at a checkpoint when the worker shuts down. */
  signal?: AbortSignal;
  /** How many recent parents are remembered for the join (memory bound). */
  recentParents?: number;
  /** How many children may wait for their parent (memory bound, and the checkpoint's size). */
  maxWaiting?: number;
}

export interface ConsumeResult {
  lines: number;
  /** Children whose parent never appeared (neither in the file nor stored): not written. */
  orphans: WaitingLine[];
  aborted: boolean;
}

type Child = (
  | { kind: "variant"; parentId: string; row: VariantRow }
  | { kind: "lineItem"; parentId: string; row: Omit<LineItemRow, "orderUpdatedAt"> }
) & { line: number; waiting?: WaitingLine };

/**
 * A waiting child's line for the checkpoint, rebuilt from its row: a bulk row's `raw` is its line's
 * node as JSON text without `__parentId` (fromBulkLine), so that text with `__parentId` put back maps
 * to the same row again. Rebuilt only for the few children that wait, rather than every child line's
 * text travelling from the reader thread.
 */
function waitingLine(child: Child): WaitingLine {
  if (child.waiting) return child.waiting;
  const raw = child.row.raw;
  if (typeof raw !== "string" || !raw.startsWith("{") || !raw.endsWith("}")) {
    throw new Error(`bulk line ${child.line}: a child row without its line's JSON text`);
  }
  const rest = raw.length > 2 ? `${raw.slice(0, -1)},` : "{";
  child.waiting = { line: child.line, text: `${rest}"__parentId":${JSON.stringify(child.parentId)}}` };
  return child.waiting;
}

function emptyBatch(): Omit<Batch, "linesCommitted" | "waiting"> {
  return { products: [], variants: [], locations: [], inventoryLevels: [], orders: [], lineItems: [], lines: 0 };
}

/** A map that forgets its oldest entries beyond `limit` (Map keeps insertion order). */
class RecentMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    return this.map.get(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.limit) {
      const oldest = this.map.keys().next();
      if (!oldest.done) this.map.delete(oldest.value);
    }
  }
}

export class TooManyWaitingChildrenError extends Error {
  constructor(count: number) {
    super(`bulk file: ${count} child lines are waiting for parents that have not appeared; the file is not usable`);
    this.name = "TooManyWaitingChildrenError";
  }
}

export async function consumeBulkLines(options: ConsumeOptions): Promise<ConsumeResult> {
  const maxWaiting = options.maxWaiting ?? 50_000;
  // A product's or order's updatedAt (products: the value is unused, presence is what counts).
  const recent = new RecentMap<Date>(options.recentParents ?? 10_000);
  const waiting = new Map<string, Child[]>();
  let waitingCount = 0;
  let batch = emptyBatch();
  let unresolved: Child[] = [];
  let lineNo = 0;
  let linesRead = 0;

  const place = (child: Child, orderUpdatedAt: Date | undefined) => {
    if (child.kind === "variant") batch.variants.push(child.row);
    else if (orderUpdatedAt) batch.lineItems.push({ ...child.row, orderUpdatedAt });
  };

  const release = (parentId: string, updatedAt: Date) => {
    const children = waiting.get(parentId);
    if (!children) return;
    waiting.delete(parentId);
    waitingCount -= children.length;
    for (const child of children) place(child, updatedAt);
  };

  const handle = (mapped: BulkRow, line: number) => {
    switch (mapped.kind) {
      case "product":
        batch.products.push(mapped.row);
        recent.set(mapped.row.shopifyId, mapped.row.shopifyUpdatedAt);
        release(mapped.row.shopifyId, mapped.row.shopifyUpdatedAt);
        break;
      case "order":
        batch.orders.push(mapped.row);
        recent.set(mapped.row.shopifyId, mapped.row.shopifyUpdatedAt);
        release(mapped.row.shopifyId, mapped.row.shopifyUpdatedAt);
        break;
      case "location":
        batch.locations.push(mapped.row);
        break;
      case "inventoryLevel":
        // No foreign key (docs/decisions/0003): a level is written as it comes.
        batch.inventoryLevels.push(mapped.row);
        break;
      case "variant":
      case "lineItem": {
        const child: Child =
          mapped.kind === "variant"
            ? { kind: "variant", parentId: mapped.row.productId, row: mapped.row, line }
            : { kind: "lineItem", parentId: mapped.orderId, row: mapped.row, line };
        const parentUpdatedAt = recent.get(child.parentId);
        if (parentUpdatedAt) place(child, parentUpdatedAt);
        else unresolved.push(child);
        break;
      }
    }
  };

  const flush = async () => {
    if (unresolved.length) {
      // Parents not seen in this run: committed before a crash, or written by a webhook.
      const productIds = unresolved.filter((c) => c.kind === "variant").map((c) => c.parentId);
      const orderIds = unresolved.filter((c) => c.kind === "lineItem").map((c) => c.parentId);
      const products = productIds.length ? await options.lookup.products([...new Set(productIds)]) : new Set();
      const orders = orderIds.length ? await options.lookup.orders([...new Set(orderIds)]) : new Map<string, Date>();
      for (const child of unresolved) {
        const stored = child.kind === "variant" ? products.has(child.parentId) : orders.has(child.parentId);
        // A parent written in this batch (it came after the child) is in `recent` by now.
        const seen = recent.get(child.parentId);
        if (seen) place(child, seen);
        else if (stored) place(child, orders.get(child.parentId));
        else {
          const list = waiting.get(child.parentId) ?? [];
          list.push(child);
          waiting.set(child.parentId, list);
          waitingCount++;
        }
      }
      unresolved = [];
      if (waitingCount > maxWaiting) throw new TooManyWaitingChildrenError(waitingCount);
    }
    const hasRows = batch.lines > 0 || Object.values(batch).some((value) => Array.isArray(value) && value.length > 0);
    if (!hasRows) return;
    await options.commit({
      ...batch,
      linesCommitted: lineNo,
      waiting: [...waiting.values()].flat().map(waitingLine),
    });
    batch = emptyBatch();
  };

  // Lines that were waiting when the checkpoint was taken come first: they precede everything unread.
  for (const line of options.from.waiting) handle(fromBulkLine(JSON.parse(line.text)), line.line);

  lineNo = options.from.linesCommitted;
  let aborted = false;
  reading: for await (const chunk of options.chunks) {
    for (const { line, row } of chunk.lines) {
      lineNo = line;
      handle(row, line);
      batch.lines++;
      linesRead++;
      if (batch.lines >= options.batchLines) {
        await flush();
        if (options.signal?.aborted) {
          aborted = true;
          break reading;
        }
      }
    }
    // Empty lines after the chunk's last mapped line are read too.
    lineNo = Math.max(lineNo, chunk.lastLine);
  }
  if (!aborted) {
    // A run that skipped everything still advances to the end (e.g. resumed after the last batch).
    lineNo = Math.max(lineNo, options.from.linesCommitted);
    await flush();
  }
  return {
    lines: linesRead,
    orphans: [...waiting.values()].flat().map(waitingLine),
    aborted,
  };
}
