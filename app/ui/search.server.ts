// Case-insensitive `contains` on both databases: SQLite's LIKE already ignores ASCII case, PostgreSQL
// needs Prisma's `mode: "insensitive"` (ILIKE), which Prisma refuses on SQLite.
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
