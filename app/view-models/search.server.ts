// What every list (pages and the JSON API) shares: case-insensitive `contains` on both databases, the
// page number and its offset, and calendar-day filters. SQLite's LIKE already ignores ASCII case,
// PostgreSQL needs Prisma's `mode: "insensitive"` (ILIKE), which Prisma refuses on SQLite.
import { z } from "zod";
import { resolveDatabase } from "~/db/database-url";

export function containsText(text: string) {
  return resolveDatabase(process.env.DATABASE_URL).provider === "postgresql"
    ? // The client types come from the SQLite schema, which has no `mode`; the PostgreSQL client takes it.
      ({ contains: text, mode: "insensitive" } as { contains: string })
    : { contains: text };
}

/** 1-based page number from the query string, and the offset it means. */
export function offsetFor(page: number, pageSize: number) {
  return { skip: (page - 1) * pageSize, take: pageSize };
}

/** The deepest page a list serves; it also keeps Prisma's `skip` well inside a 32-bit Int. */
export const MAX_PAGE = 10_000;

const PAGE_MESSAGE = `page must be a whole number from 1 to ${MAX_PAGE}`;

/**
 * `page` in a query string: 1 when absent or blank; anything else but a whole number from 1 to
 * MAX_PAGE fails validation (parseSearchParams answers 400 naming the range), never a 500 from the
 * database for an offset it cannot take.
 */
export const pageParam = z.preprocess(
  (value) => (value === undefined || value === "" ? "1" : value),
  z.coerce
    .number({ invalid_type_error: PAGE_MESSAGE })
    .int(PAGE_MESSAGE)
    .min(1, PAGE_MESSAGE)
    .max(MAX_PAGE, PAGE_MESSAGE),
);

/**
 * An optional calendar day, YYYY-MM-DD, that exists (zod's date(): not 2024-13-45 or 2023-02-29);
 * blank means absent, as a form's empty date field sends it.
 */
export function calendarDayParam(name: string) {
  return z.preprocess(
    (value) => (value === "" ? undefined : value),
    z.string().date(`${name} must be a calendar day as YYYY-MM-DD`).optional(),
  );
}
