// Batched, newest-wins upserts: the one way synced rows reach the database, used by the bulk and
// incremental sync and by webhook processing alike (docs/decisions/0003-data-model.md).
//
// Why raw SQL: Prisma's upsert is one row per statement and cannot say "update only when newer".
// One multi-row `INSERT … ON CONFLICT DO UPDATE … WHERE` per batch does both, in the same SQL on
// SQLite (≥ 3.24) and PostgreSQL; Prisma.sql binds the values (and the driver adapters convert Dates
// exactly as Prisma's own writes do), so nothing is interpolated into the SQL text but identifiers
// from the fixed table descriptions below.
//
// The faster path: given the better-sqlite3 connection of the transaction (app/db/sqlite-connection),
// rows go through one prepared single-row upsert per table, run in a loop. Prisma's raw queries cost
// far more per row than SQLite's work (the query compiler serializes every parameter), and a
// prepared statement run per row is what better-sqlite3 does fastest; same SQL, same values.
import { Prisma } from "@prisma/client";
import type { SqliteConnection } from "~/db/sqlite-connection.server";
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

/**
 * Statements carry at most this many bound values. Well under the databases' limits (SQLite 32,766,
 * PostgreSQL 65,535) because Prisma's query compiler (WebAssembly) keeps its memory at the size of the
 * largest statement it compiled: at 30,000 a PostgreSQL full sync peaked at 348 MB RSS, at 2,000 at
 * 268 MB, at the same speed (`bench:sync`, 10,000 products).
 */
const MAX_PARAMETERS = 2_000;

/** Statements that name rows by id name this many at most (well under both databases' limits). */
export const IDS_PER_STATEMENT = 500;

export function chunks<T>(values: readonly T[], size = IDS_PER_STATEMENT): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < values.length; start += size) out.push(values.slice(start, start + size));
  return out;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

export interface Executor {
  $executeRaw(query: Prisma.Sql): Promise<number>;
  /** The SQLite connection this transaction runs on (sqliteWriter): rows are written through it. */
  readonly sqlite?: SqliteConnection;
}

function valueSql(spec: TableSpec, column: string, value: unknown, postgres: boolean): Prisma.Sql {
  if (value === undefined || value === null) return Prisma.sql`NULL`;
  if (spec.jsonColumns?.includes(column)) {
    const json = typeof value === "string" ? value : JSON.stringify(value);
    return postgres ? Prisma.sql`${json}::jsonb` : Prisma.sql`${json}`;
  }
  return Prisma.sql`${value}`;
}

/** `ON CONFLICT … DO UPDATE SET … WHERE …`: newest-wins and the tombstone rule, for either statement. */
function onConflict(spec: TableSpec): string {
  const table = quote(spec.table);
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
  return `ON CONFLICT (${spec.key.map(quote).join(", ")}) DO UPDATE SET ${updates.join(", ")}${where}`;
}

function upsertStatement(spec: TableSpec, rows: readonly Row[], stamp: Row, postgres: boolean): Prisma.Sql {
  const columns = Prisma.raw(spec.columns.map(quote).join(", "));
  const values = Prisma.join(
    rows.map(
      (row) =>
        Prisma.sql`(${Prisma.join(
          spec.columns.map((column) => valueSql(spec, column, column in stamp ? stamp[column] : row[column], postgres)),
        )})`,
    ),
  );
  return Prisma.sql`INSERT INTO ${Prisma.raw(quote(spec.table))} (${columns}) VALUES ${values} ${Prisma.raw(onConflict(spec))}`;
}

/**
 * Inserts or updates `rows` in batches; returns how many rows were written (rows older than what is
 * stored are skipped and not counted). Run inside a transaction to make a batch atomic. `stamp` holds
 * columns that are the same for every row (storeId, syncedAt…) and override the rows' own, so callers
 * need not copy each row to add them.
 */
export async function upsertRows(
  executor: Executor,
  spec: TableSpec,
  rows: readonly Row[],
  stamp: Row = {},
): Promise<number> {
  if (rows.length === 0) return 0;
  if (executor.sqlite) return upsertPrepared(executor.sqlite, spec, rows, stamp);
  const postgres = databaseProvider() === "postgresql";
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / spec.columns.length));
  let written = 0;
  for (let start = 0; start < rows.length; start += perStatement) {
    written += await executor.$executeRaw(
      upsertStatement(spec, rows.slice(start, start + perStatement), stamp, postgres),
    );
  }
  return written;
}

/** Other statements of the writer's SQLite paths, prepared once per connection, by SQL text. */
const preparedBySql = new WeakMap<SqliteConnection, Map<string, ReturnType<SqliteConnection["prepare"]>>>();

/**
 * `sql` prepared on the connection of the caller's transaction (cached). Only inside a transaction,
 * as upsertPrepared: outside one each statement would commit on its own.
 */
export function preparedStatement(connection: SqliteConnection, sql: string) {
  if (!connection.inTransaction) throw new Error("prepared statements run only inside a transaction");
  let statements = preparedBySql.get(connection);
  if (!statements) preparedBySql.set(connection, (statements = new Map()));
  let statement = statements.get(sql);
  if (!statement) statements.set(sql, (statement = connection.prepare(sql)));
  return statement;
}

/** The single-row upsert of each table, prepared once per connection. */
const preparedUpserts = new WeakMap<SqliteConnection, Map<TableSpec, ReturnType<SqliteConnection["prepare"]>>>();

function preparedUpsert(connection: SqliteConnection, spec: TableSpec) {
  let statements = preparedUpserts.get(connection);
  if (!statements) preparedUpserts.set(connection, (statements = new Map()));
  let statement = statements.get(spec);
  if (!statement) {
    const placeholders = spec.columns.map(() => "?").join(", ");
    statement = connection.prepare(
      `INSERT INTO ${quote(spec.table)} (${spec.columns.map(quote).join(", ")}) VALUES (${placeholders}) ${onConflict(spec)}`,
    );
    statements.set(spec, statement);
  }
  return statement;
}

/**
 * A value as the Prisma SQLite adapter binds it (its default timestampFormat, iso8601), so rows
 * written either way compare and read back alike: a Date as ISO-8601 with "+00:00", a boolean as
 * 0/1, JSON as its text; bigint, number and string as they are.
 */
export function sqliteValue(value: unknown, json = false): unknown {
  if (value === undefined || value === null) return null;
  if (json) return typeof value === "string" ? value : JSON.stringify(value);
  if (value instanceof Date) return value.toISOString().replace("Z", "+00:00");
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

function upsertPrepared(connection: SqliteConnection, spec: TableSpec, rows: readonly Row[], stamp: Row): number {
  // Only inside the caller's transaction (sqliteWriter checks it when it hands the connection out):
  // outside one, each row would commit on its own.
  if (!connection.inTransaction) throw new Error("prepared upserts run only inside a transaction");
  const statement = preparedUpsert(connection, spec);
  const json = spec.columns.map((column) => spec.jsonColumns?.includes(column) ?? false);
  // Stamped columns are converted once; the arguments array is reused (run() copies what it binds).
  const stamped = spec.columns.map((column) => column in stamp);
  const args = spec.columns.map((column, i) => (stamped[i] ? sqliteValue(stamp[column], json[i] ?? false) : null));
  let written = 0;
  for (const row of rows) {
    for (let i = 0; i < args.length; i++) {
      if (!stamped[i]) args[i] = sqliteValue(row[spec.columns[i] as string], json[i] ?? false);
    }
    written += statement.run(args).changes;
  }
  return written;
}
