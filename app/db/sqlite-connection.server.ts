// The better-sqlite3 connection behind Prisma's SQLite adapter, for writers that need more rows per
// second than Prisma's raw queries give (the full sync's batches).
//
// Why: every `$executeRaw` goes through Prisma's query compiler (its parameters are serialized into
// WebAssembly and back) and the adapter prepares its SQL afresh; for a batch of thousands of rows that
// is most of the time a full sync spends, and its WebAssembly memory stays at its peak size. A
// better-sqlite3 statement prepared once and run per row is what the driver is fastest at.
//
// Why it is safe: the adapter has one connection, and runs a Prisma transaction on it (BEGIN … COMMIT)
// while holding its own mutex, so another Prisma transaction cannot start in between. Statements run
// on the same connection from inside `db.$transaction(async (tx) => …)` are part of that transaction:
// committed with it, rolled back with it. better-sqlite3 is synchronous, so nothing interleaves with a
// statement while it runs. `sqliteWriter` hands the connection out only while a transaction is open.
//
// No library does this: Prisma exposes neither the adapter nor its connection.
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { createRequire } from "node:module";
import Sqlite from "better-sqlite3";
import { checkpointOffTheEventLoop } from "./sqlite-checkpointer.server";

export type SqliteConnection = Sqlite.Database;

/** better-sqlite3's entry, for the checkpoint thread to load the same driver. */
const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");

/** The connection of the adapter Prisma connected last (one PrismaClient per process: db.server.ts). */
let current: SqliteConnection | null = null;

/**
 * Records the adapter's connection when Prisma connects, and caches the adapter's prepared
 * statements. Use it where the adapter is created:
 * `new PrismaClient({ adapter: withSqliteConnection(new PrismaBetterSQLite3({ … })) })`.
 */
export function withSqliteConnection(factory: PrismaBetterSQLite3): PrismaBetterSQLite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // The adapter keeps its better-sqlite3 Database in `client` (adapter-better-sqlite3 6.x); any other
    // shape leaves the writers on Prisma's path.
    const holder = adapter as unknown as { client?: unknown };
    const client = holder.client;
    if (client instanceof Sqlite) {
      current = client;
      checkpointOffTheEventLoop(client, driverPath);
      holder.client = connectionForAdapter(client);
    }
    return adapter;
  };
  return factory;
}

/** The connection, while it is open. */
export function sqliteConnection(): SqliteConnection | null {
  return current?.open ? current : null;
}

/**
 * An executor for the batched writer (app/sync/writer): the Prisma transaction `tx`, plus the
 * connection it runs on when that is a recorded SQLite connection with a transaction open. Call it
 * inside `db.$transaction`'s callback only.
 */
export function sqliteWriter<T extends object>(tx: T): T | (T & { sqlite: SqliteConnection }) {
  const connection = sqliteConnection();
  if (!connection?.inTransaction) return tx;
  // A new object rather than a property on `tx`: Prisma's transaction client is its own proxy.
  return new Proxy(tx, {
    get(target, property) {
      if (property === "sqlite") return connection;
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    has(target, property) {
      return property === "sqlite" || Reflect.has(target, property);
    },
  }) as T & { sqlite: SqliteConnection };
}

/** Statements kept per connection; a multi-row upsert's SQL differs with its row count. */
const STATEMENT_CACHE_SIZE = 100;

/**
 * The adapter prepares every query's SQL afresh (`client.prepare(sql).bind(args)`), so a query Prisma
 * runs for every batch (the checkpoint update, a lookup) is compiled by SQLite every time. The adapter
 * gets this view of its connection instead, whose `prepare` keeps the last STATEMENT_CACHE_SIZE
 * statements by SQL text; everything else is the connection itself. A better-sqlite3 Statement can be
 * bound only once, so `prepare` hands out a small wrapper per call that passes its arguments to the
 * statement's run/all instead of binding them. It also turns the adapter's BEGIN into BEGIN IMMEDIATE.
 */
function connectionForAdapter(connection: SqliteConnection): SqliteConnection {
  const cache = new Map<string, Sqlite.Statement>();
  const prepare = (text: string): BoundLater => {
    // The adapter opens every transaction with a deferred BEGIN. In WAL mode a deferred transaction
    // that reads, then writes, fails at once with SQLITE_BUSY (no wait) when another connection — a
    // worker process, `npm run sync` — committed in between: ingest answered 503 to a fifth of a burst
    // that way. BEGIN IMMEDIATE takes the write lock first, waiting for it (the busy timeout) instead.
    const sql = text === "BEGIN" ? "BEGIN IMMEDIATE" : text;
    let statement = cache.get(sql);
    if (statement) {
      // Most recently used last (a Map keeps insertion order).
      cache.delete(sql);
    } else {
      statement = connection.prepare(sql);
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    }
    cache.set(sql, statement);
    return new BoundLater(statement);
  };
  return new Proxy(connection, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** What the adapter uses of a statement: bind(args), then run(), or reader, columns() and raw().all(). */
class BoundLater {
  private args: unknown[] = [];
  constructor(private readonly statement: Sqlite.Statement) {}
  get reader(): boolean {
    return this.statement.reader;
  }
  bind(args: unknown[]): this {
    this.args = args;
    return this;
  }
  run(): Sqlite.RunResult {
    return this.statement.run(this.args);
  }
  columns(): Sqlite.ColumnDefinition[] {
    return this.statement.columns();
  }
  raw(): { all(): unknown[] } {
    const statement = this.statement.raw(true);
    return { all: () => statement.all(this.args) };
  }
}
