// The rows the sync engine produces: one definition, derived from the Prisma models' create inputs so a
// column added to schema.prisma shows up here (and fails to compile in a mapper that does not fill it).
//
// What the derivation changes, and why:
// - `storeId` is left out: the data layer (tenantDb) adds it.
// - Relations and bookkeeping with database defaults (`syncedAt`, `syncedBy`) are left out: the writer
//   knows whether it runs for the sync or for a webhook.
// - Every remaining column is required (`-?`), so both mappers (GraphQL and webhook) must say what
//   each column is, and write the same thing.
// - DateTime columns are `Date` (Prisma also accepts strings) and BigInt columns `bigint` (Prisma also
//   accepts numbers), so rows can be compared and never carry a lossy number.
//
// - A nullable Json column that is empty is a plain `null`, meaning SQL NULL: that is what the batched
//   writer (app/sync/writer, raw SQL) binds. Prisma's own create/update want `Prisma.DbNull` there
//   instead (a plain null is refused), so code that passes a row to Prisma maps null Json to DbNull.
import type { Prisma } from "@prisma/client";

type Column<V> = [Prisma.NullableJsonNullValueInput] extends [V]
  ? Exclude<V, Prisma.NullableJsonNullValueInput> | null
  : [V] extends [Date | string | null]
    ? [Date] extends [V]
      ? Date | Extract<V, null>
      : V
    : [V] extends [bigint | number | null]
      ? [bigint] extends [V]
        ? bigint | Extract<V, null>
        : V
      : V;

type Row<Input, Left extends keyof Input> = {
  -readonly [K in Exclude<keyof Input, Left>]-?: Column<Exclude<Input[K], undefined>>;
};

/** A product; `deletedAt: null` because a row written from Shopify's data says the product exists. */
export type ProductRow = Row<
  Prisma.ShopifyProductUncheckedCreateInput,
  "storeId" | "variants" | "syncedAt" | "syncedBy"
>;
export type VariantRow = Row<Prisma.ShopifyProductVariantUncheckedCreateInput, "storeId" | "syncedAt">;
export type LocationRow = Row<Prisma.ShopifyLocationUncheckedCreateInput, "storeId" | "syncedAt">;
export type InventoryLevelRow = Row<Prisma.ShopifyInventoryLevelUncheckedCreateInput, "storeId" | "syncedAt">;
/**
 * A level as inventory_levels/update tells it: `available` only. Its writer leaves the stored onHand
 * and committed as they are (docs/decisions/0041-inventory-webhooks-keep-on-hand.md).
 */
export type AvailableLevelRow = Omit<InventoryLevelRow, "onHand" | "committed">;
/** An order. `redactedAt` is not part of it: only redact.ts sets it. */
export type OrderRow = Row<
  Prisma.ShopifyOrderUncheckedCreateInput,
  "storeId" | "lineItems" | "syncedAt" | "syncedBy" | "redactedAt"
>;
export type LineItemRow = Row<Prisma.ShopifyOrderLineItemUncheckedCreateInput, "storeId">;

export interface ProductWithVariants {
  product: ProductRow;
  variants: VariantRow[];
}

export interface OrderWithLineItems {
  order: OrderRow;
  lineItems: LineItemRow[];
}

/** products/delete: Shopify sends only the id, so the time is the delivery's (X-Shopify-Triggered-At). */
export interface ProductTombstone {
  shopifyId: string;
  deletedAt: Date;
}

/** JSON for a Json column: bigint becomes its decimal string, undefined members are dropped. */
export function toJson(value: unknown): Prisma.InputJsonValue {
  const out = jsonOf(value, "$");
  if (out === null) throw new Error("a Json column value cannot be null here; use jsonOrNull");
  return out;
}

/** null (SQL NULL) for null/undefined, JSON otherwise. */
export function jsonOrNull(value: unknown): Prisma.InputJsonValue | null {
  return value === null || value === undefined ? null : toJson(value);
}

type JsonOut = Prisma.InputJsonValue | null;

function jsonOf(value: unknown, path: string): JsonOut {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new Error(`${path}: ${value} is not JSON`);
    return value;
  }
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((item, i) => jsonOf(item, `${path}[${i}]`));
  if (typeof value === "object") {
    const out: Record<string, JsonOut> = {};
    for (const [key, member] of Object.entries(value)) {
      if (member !== undefined) out[key] = jsonOf(member, `${path}.${key}`);
    }
    return out as Prisma.InputJsonObject;
  }
  throw new Error(`${path}: a ${typeof value} is not JSON`);
}

/** Without the listed keys (child collections that have their own rows, kept out of `raw`). */
export function without(value: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  // Runs once per bulk line: a plain loop, no entries arrays, and no copy when there is nothing to drop
  // (the callers only read the result).
  if (!keys.some((key) => Object.hasOwn(value, key))) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) if (!keys.includes(key)) out[key] = value[key];
  return out;
}
