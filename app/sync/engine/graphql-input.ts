// zod 4 schemas for GraphQL nodes (from-graphql.ts), the engine's one zod (docs/decisions/0035): the
// GraphQL mapper maps every line of a bulk file, and zod 3 spent ~23 µs per variant line (a third of a
// full sync's CPU, and much of its garbage), zod 4 about a third of that for the same schema. The
// webhook mapper uses no zod (rest-input.ts says why). The patterns (date-time, decimal, GID) are the
// ones the REST reader checks, so both mappers accept exactly the same spellings.
import { z } from "zod/v4";
import { gidPatternOf, type ResourceType } from "./ids";
import { ISO_DATE_TIME, ShopifyInputError } from "./input";
import { DECIMAL } from "./money";

/**
 * `safeParse` with the messages the REST reader gives for a missing field ("Required"), so an error
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

// The schemas below only check: none transforms (undefined → null, a string → Date). zod v4 runs a
// transform as a pipe of two schemas, and a variant line's schema with its dozen transforms and
// refinements took 9 µs to parse against 3 µs for the same checks without them (the bulk file's
// reader thread parses every line of a full sync). The mappers in from-graphql.ts normalise instead,
// with orNull and dateOf.

/** ISO-8601 with "Z" or an offset (input.ts's ISO_DATE_TIME), kept as the string: map it with dateOf. */
export const dateTime = z.string().regex(ISO_DATE_TIME, "expected an ISO-8601 date-time");

/** dateTime, null or absent: map it with dateOrNull. */
export const nullableDateTime = dateTime.nullable().optional();

/** A string, null or absent: map it with orNull. */
export const text = z.string().nullable().optional();

/** A decimal amount as a string (money.ts's DECIMAL). */
export const decimalString = z.string().regex(DECIMAL, 'expected a decimal amount such as "19.99"');

/** A GID of one resource type (ids.ts's gidPatternOf), as a pattern check rather than a refinement. */
export function gidOf(type: ResourceType) {
  return z.string().regex(gidPatternOf(type), `expected a ${type} GID`);
}

/** A value the schema left undefined (absent), as null. */
export const orNull = <T>(value: T | null | undefined): T | null => value ?? null;

/** A checked dateTime string as a Date. */
export const dateOf = (value: string): Date => new Date(value);

export const dateOrNull = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);
