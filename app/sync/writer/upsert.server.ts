// Batched, newest-wins upserts: the one way synced rows reach the database, used by the bulk and
// incremental sync and by webhook processing alike (docs/decisions/0003-data-model.md).
//
// Why raw SQL: Prisma's upsert is one row per statement and cannot say "update only when newer".
// One multi-row `INSERT … ON CONFLICT DO UPDATE … WHERE` per batch does both, in the same SQL on
// SQLite (≥ 3.24) and PostgreSQL; Prisma.sql binds the values (and the driver adapters convert Dates
// exactly as Prisma's own writes do), so nothing is interpolated into the SQL text but identifiers
// from the fixed table descriptions below.
import { Prisma } from "@prisma/client";
import { databaseProvider } from "~/db.server";

export interface TableSpec {
  table: string;
  /** Primary key columns, storeId first. */
  key: readonly string[];
  /** Every column written, including the key. */
  columns: readonly string[];
  jsonColumns?: readonly string[];
  /** Shopify's updated_at: an existing row is replaced only by a row at least as new. */
  newestWins?: string;
  /** A tombstone column: a deleted row is replaced only by a row strictly newer than its deletion. */
  tombstone?: string;
}

/** Rows keyed by column name (the Prisma field names); undefined is written as NULL. */
export type Row = Record<string, unknown>;

/** Statements carry at most this many bound values (SQLite's default limit is 32,766). */
const MAX_PARAMETERS = 30_000;

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export interface Executor {
  $executeRaw(query: Prisma.Sql): Promise<number>;
}

function valueSql(spec: TableSpec, column: string, value: unknown, postgres: boolean): Prisma.Sql {
  if (value === undefined || value === null) return Prisma.sql`NULL`;
  if (spec.jsonColumns?.includes(column)) {
    const json = typeof value === "string" ? value : JSON.stringify(value);
    return postgres ? Prisma.sql`${json}::jsonb` : Prisma.sql`${json}`;
  }
  return Prisma.sql`${value}`;
}

function upsertStatement(spec: TableSpec, rows: readonly Row[], postgres: boolean): Prisma.Sql {
  const table = quote(spec.table);
  const columns = Prisma.raw(spec.columns.map(quote).join(", "));
  const values = Prisma.join(
    rows.map(
      (row) =>
        Prisma.sql`(${Prisma.join(spec.columns.map((column) => valueSql(spec, column, row[column], postgres)))})`,
    ),
  );
  const updates = spec.columns
    .filter((column) => !spec.key.includes(column))
    .map((column) => `${quote(column)} = excluded.${quote(column)}`);
  const conditions: string[] = [];
  if (spec.newestWins) {
    // Equal timestamps apply (the same write again is harmless); a stored row without a timestamp
    // (e.g. a location Shopify sent without updatedAt) takes any write.
    const column = quote(spec.newestWins);
    conditions.push(`(${table}.${column} IS NULL OR excluded.${column} >= ${table}.${column})`);
  }
  if (spec.tombstone && spec.newestWins) {
    const tombstone = quote(spec.tombstone);
    conditions.push(`(${table}.${tombstone} IS NULL OR excluded.${quote(spec.newestWins)} > ${table}.${tombstone})`);
  }
  const where = conditions.length ? ` WHERE ${conditions.join(" AND ")}` : "";
  return Prisma.sql`INSERT INTO ${Prisma.raw(table)} (${columns}) VALUES ${values} ON CONFLICT (${Prisma.raw(
    spec.key.map(quote).join(", "),
  )}) DO UPDATE SET ${Prisma.raw(updates.join(", "))}${Prisma.raw(where)}`;
}

/**
 * Inserts or updates `rows` in batches; returns how many rows were written (rows older than what is
 * stored are skipped and not counted). Run inside a transaction to make a batch atomic.
 */
export async function upsertRows(executor: Executor, spec: TableSpec, rows: readonly Row[]): Promise<number> {
  if (rows.length === 0) return 0;
  const postgres = databaseProvider() === "postgresql";
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / spec.columns.length));
  let written = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    written += await executor.$executeRaw(upsertStatement(spec, rows.slice(start, start + perStatement), postgres));
  }
  return written;
}
