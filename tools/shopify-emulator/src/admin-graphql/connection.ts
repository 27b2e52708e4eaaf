// Relay-style cursor pagination as Shopify answers it: `first`/`after` forwards, `last`/`before`
// backwards, `reverse` flips the sort, `pageInfo` reports both directions accurately. Cursors look like
// Shopify's (base64 of {"last_id":…,"last_value":…}) and are positional by sort key, so a cursor stays
// valid after the item it names changes or disappears.
import { GraphQLError } from "graphql";

export type SortValue = number | string | bigint;

export interface ListSpec<T> {
  /** Items sorted ascending by (value, id), read by index so large lists can be virtual. */
  size: number;
  get(index: number): T;
  id(item: T): bigint;
  value(item: T): SortValue;
  /** How `last_value` is written in cursors; dates are epoch ms, ids decimal strings. */
  valueKind: "number" | "string" | "bigint";
  reverse: boolean;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface ConnectionResult<T> {
  edges: Array<Edge<T>>;
  nodes: T[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

export const MAX_PAGE_SIZE = 250;

export interface PageArgs {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

export function encodeCursor(id: bigint, value: SortValue): string {
  // Written by hand so ids above 2^53 keep every digit (JSON.stringify cannot take a BigInt).
  return Buffer.from(`{"last_id":${id},"last_value":${JSON.stringify(String(value))}}`).toString("base64");
}

export function decodeCursor(cursor: string, kind: ListSpec<unknown>["valueKind"]): { id: bigint; value: SortValue } {
  let text: string;
  try {
    text = Buffer.from(cursor, "base64").toString("utf8");
  } catch {
    throw invalidCursor();
  }
  const m = /^\{"last_id":(\d{1,20}),"last_value":("(?:[^"\\]|\\.)*")\}$/s.exec(text);
  if (!m?.[1] || !m[2]) throw invalidCursor();
  const raw = JSON.parse(m[2]) as string;
  let value: SortValue;
  if (kind === "number") {
    value = Number(raw);
    if (Number.isNaN(value)) throw invalidCursor();
  } else if (kind === "bigint") {
    if (!/^\d+$/.test(raw)) throw invalidCursor();
    value = BigInt(raw);
  } else value = raw;
  return { id: BigInt(m[1]), value };
}

function invalidCursor(): GraphQLError {
  return new GraphQLError("Invalid cursor for current pagination sort.", { extensions: { code: "BAD_REQUEST" } });
}

export function checkPageArgs(args: PageArgs, fieldName: string, bulk: boolean): void {
  if (bulk) return; // bulk operations ignore first/last
  const { first, last } = args;
  if (first == null && last == null)
    throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
  if (first != null && last != null)
    throw new GraphQLError(
      `Passing both \`first\` and \`last\` to paginate the \`${fieldName}\` connection is not supported.`,
      {
        extensions: { code: "BAD_REQUEST" },
      },
    );
  const n = (first ?? last)!;
  if (n < 0)
    throw new GraphQLError(`\`${first != null ? "first" : "last"}\` on \`${fieldName}\` cannot be less than 0`, {
      extensions: { code: "BAD_REQUEST" },
    });
  if (n > MAX_PAGE_SIZE)
    throw new GraphQLError(`The maximum number of items that can be requested is ${MAX_PAGE_SIZE}.`, {
      extensions: { code: "BAD_REQUEST", maxPageSize: MAX_PAGE_SIZE },
    });
}

function cmp(a: SortValue, b: SortValue): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Visits every item in traversal order (bulk operations). */
export function* traverse<T>(list: ListSpec<T>): Generator<T> {
  const n = list.size;
  for (let k = 0; k < n; k++) yield list.get(list.reverse ? n - 1 - k : k);
}

export function fromArray<T>(items: readonly T[], spec: Omit<ListSpec<T>, "size" | "get">): ListSpec<T> {
  return { ...spec, size: items.length, get: (i) => items[i]! };
}

export function paginate<T>(list: ListSpec<T>, args: PageArgs): ConnectionResult<T> {
  const n = list.size;
  const at = (k: number) => list.get(list.reverse ? n - 1 - k : k);
  const dir = list.reverse ? -1 : 1;
  // Compare the item at traversal index k with a cursor key, in traversal order.
  const vsKey = (k: number, key: { id: bigint; value: SortValue }) => {
    const it = at(k);
    const c = cmp(list.value(it), key.value) || cmp(list.id(it), key.id);
    return c * dir;
  };
  // First traversal index whose key compares > (strict) or >= the cursor.
  const lowerBound = (key: { id: bigint; value: SortValue }, strict: boolean) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = vsKey(mid, key);
      if (strict ? c <= 0 : c < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  let lo = 0;
  let hi = n;
  if (args.after) lo = lowerBound(decodeCursor(args.after, list.valueKind), true);
  if (args.before) hi = Math.max(lo, lowerBound(decodeCursor(args.before, list.valueKind), false));
  let start = lo;
  let end = hi;
  if (args.first != null) end = Math.min(hi, lo + args.first);
  else if (args.last != null) start = Math.max(lo, hi - args.last);
  const nodes: T[] = [];
  const edges: Array<Edge<T>> = [];
  for (let k = start; k < end; k++) {
    const node = at(k);
    nodes.push(node);
    edges.push({ cursor: encodeCursor(list.id(node), list.value(node)), node });
  }
  return {
    edges,
    nodes,
    pageInfo: {
      hasNextPage: end < n,
      hasPreviousPage: start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
