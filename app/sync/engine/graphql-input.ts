// zod v4 schemas for GraphQL nodes (fromGraphql.ts). The webhook mapper stays on zod v3 (input.ts);
// the GraphQL mapper moved to v4 because it maps every line of a bulk file: v3 spent ~23 µs per
// variant line (a third of a full sync's CPU, and much of its garbage), v4 about a third of that for
// the same schema. The patterns (date-time, decimal, GID) are the very ones the v3 schemas use, so
// both mappers accept exactly the same spellings.
import { z } from "zod/v4";
import { gidType, type ResourceType } from "./ids";
import { ISO_DATE_TIME, ShopifyInputError } from "./input";
import { DECIMAL } from "./money";

/**
 * `safeParse` with the messages the v3 schemas gave for a missing field ("Required"), so an error
 * names the field the same way whichever mapper saw it; other issues keep v4's own message.
 */
const missingIsRequired = (issue: { code: string; input?: unknown }) =>
  issue.code === "invalid_type" && issue.input === undefined ? "Required" : undefined;

export function parseGraphqlInput<Schema extends z.ZodType>(
  source: string,
  schema: Schema,
  input: unknown,
): z.output<Schema> {
  const result = schema.safeParse(input, { error: missingIsRequired });
  if (result.success) return result.data;
  throw new ShopifyInputError(
    source,
    result.error.issues.map((issue) => ({ path: issue.path.join("."), message: issue.message })),
  );
}

/** ISO-8601 with "Z" or an offset, as a Date (input.ts's dateTime). */
export const dateTime = z
  .string()
  .regex(ISO_DATE_TIME, "expected an ISO-8601 date-time")
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

/** A decimal amount as a string (money.ts's decimalString). */
export const decimalString = z.string().regex(DECIMAL, 'expected a decimal amount such as "19.99"');

/** A GID of one resource type (ids.ts's gidOf). */
export function gidOf(type: ResourceType) {
  return z.string().refine((value) => gidType(value) === type, `expected a ${type} GID`);
}
