// Input parsing shared by both mappers: zod schemas for Shopify's scalar spellings and one error type
// that names the field, so a bad payload fails with "orders/create: line_items.0.price: …" rather than
// a TypeError three functions later.
import { datetimeRegex, z } from "zod";

/** A Shopify payload or node that does not have the shape the mapper needs. Not worth retrying. */
export class ShopifyInputError extends Error {
  override name = "ShopifyInputError";
  constructor(
    readonly source: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(`${source}: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`);
  }
}

export function parseInput<Schema extends z.ZodTypeAny>(
  source: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new ShopifyInputError(
    source,
    result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  );
}

/**
 * zod's own `.datetime({ offset: true })` pattern, built once: zod 3 rebuilds that RegExp on every
 * parse, which was a tenth of the time a full sync spent mapping bulk lines (several per line).
 */
export const ISO_DATE_TIME = datetimeRegex({ precision: null, offset: true, local: false });

/** ISO-8601 with "Z" (GraphQL) or an offset (REST: "2021-12-31T19:00:00-05:00"), as a Date. */
export const dateTime = z
  .string()
  .regex(ISO_DATE_TIME, { message: "expected an ISO-8601 date-time" })
  .transform((value) => new Date(value));

export const nullableDateTime = dateTime
  .nullable()
  .optional()
  .transform((value) => value ?? null);

/** Optional-and-nullable string, normalised to null. */
export const text = z
  .string()
  .nullable()
  .optional()
  .transform((value) => value ?? null);

/** Comma-separated tags, spelled one way whatever the source: GraphQL sends an array, REST "a, b". */
export function joinTags(tags: readonly string[] | string | null | undefined): string | null {
  const list = (typeof tags === "string" ? tags.split(",") : (tags ?? [])).map((tag) => tag.trim()).filter(Boolean);
  return list.length ? list.join(", ") : null;
}

/** REST enums are lowercase ("active", "paid"); the GraphQL spelling the columns use is uppercase. */
export function upperEnum(value: string | null | undefined): string | null {
  return value ? value.toUpperCase() : null;
}
