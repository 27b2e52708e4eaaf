// The only PrismaClient. The database is chosen by DATABASE_URL (app/db/database-url.ts): SQLite in a
// file by default, PostgreSQL in production. Both go through driver adapters (Prisma's native engines
// are not needed): better-sqlite3 for SQLite, node-postgres for PostgreSQL.
//
// Application code does not import this module for shop data: it goes through app/db/tenant.server.ts,
// which scopes every query to one store (eslint enforces it).
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import Sqlite from "better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@prisma/client";
import { resolveDatabase, type DatabaseProvider } from "./db/database-url";
import { withSqliteConnection } from "./db/sqlite-connection.server";

export type Database = PrismaClient;

interface DatabaseInstance {
  client: Database;
  provider: DatabaseProvider;
  /** The Prisma namespace of the client in use: its runtime values (DbNull, error classes) belong to
   * that client, and the PostgreSQL client is generated with a runtime of its own. */
  namespace: typeof Prisma;
}

function createClient(databaseUrl: string | undefined): DatabaseInstance {
  const target = resolveDatabase(databaseUrl);
  if (target.provider === "postgresql") {
    // Prisma generates one client per provider. The PostgreSQL one (same models, same API) is
    // generated into prisma/generated/postgresql by `npm run setup`, and loaded at run time so the
    // SQLite default needs nothing of it.
    const require = createRequire(import.meta.url);
    const generated = path.resolve(process.cwd(), "prisma/generated/postgresql");
    const { PrismaClient: PostgresClient, Prisma: PostgresPrisma } = require(generated) as {
      PrismaClient: typeof PrismaClient;
      Prisma: typeof Prisma;
    };
    return {
      provider: "postgresql",
      namespace: PostgresPrisma,
      client: new PostgresClient({ adapter: new PrismaPg(postgresPoolConfig(target.url)) }),
    };
  }
  enableWriteAheadLog(target.url);
  return {
    provider: "sqlite",
    namespace: Prisma,
    // timeout: how long a writer waits for SQLite's lock (web and worker share the file) before
    // SQLITE_BUSY.
    // withSqliteConnection: a prepared-statement cache for the adapter, and its connection for the
    // batched writers (app/db/sqlite-connection.server.ts).
    client: new PrismaClient({
      adapter: withSqliteConnection(new PrismaBetterSQLite3({ url: target.url, timeout: 10_000 })),
    }),
  };
}

/** How long opening a PostgreSQL connection may take (a database that does not answer). */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;
/** How long one statement may run on the server before PostgreSQL cancels it. */
export const POSTGRES_STATEMENT_TIMEOUT_MS = 30_000;
/**
 * How long the client waits for a statement's answer. statement_timeout is enforced by the server, so
 * a server that stalls (paused, swapping, a network that drops packets) never enforces it; this is the
 * client's own limit, a little later than the server's so that a slow statement is the server's error.
 */
export const POSTGRES_QUERY_TIMEOUT_MS = POSTGRES_STATEMENT_TIMEOUT_MS + 2_000;

/**
 * The node-postgres pool of a process (docs/decisions/0028-ingest-overload-stalls-shutdown.md): a
 * stalled or unreachable database fails requests after these timeouts instead of holding them, their
 * bodies and their connections without end.
 */
export function postgresPoolConfig(url: string) {
  return {
    connectionString: url,
    // DATABASE_POOL_MAX: connections per process (web, worker); PostgreSQL's default server limit is
    // 100, shared by every process of every deployment.
    max: Number(process.env.DATABASE_POOL_MAX ?? 10),
    connectionTimeoutMillis: POSTGRES_CONNECT_TIMEOUT_MS,
    statement_timeout: POSTGRES_STATEMENT_TIMEOUT_MS,
    query_timeout: POSTGRES_QUERY_TIMEOUT_MS,
  };
}

/**
 * SQLite in write-ahead-log mode: readers no longer block the writer (web requests, the embedded
 * worker and webhook ingest share one file), and a commit is one append instead of a rollback-journal
 * dance — about 4× the commits per second on our disks. `synchronous` stays FULL, so a transaction
 * that committed (a webhook we answered 200) survives power loss too, not only a crash. The mode is
 * stored in the database file, so setting it once per process is enough.
 */
function enableWriteAheadLog(file: string): void {
  if (file === ":memory:") return;
  const connection = new Sqlite(file);
  try {
    connection.pragma("journal_mode = WAL");
  } finally {
    connection.close();
  }
}

declare global {
  // Survives Vite's dev-server module reloads, so development does not open a client per edit.
  var shopSyncDatabase: DatabaseInstance | undefined;
}

function instance() {
  globalThis.shopSyncDatabase ??= createClient(process.env.DATABASE_URL);
  return globalThis.shopSyncDatabase;
}

export const db: Database = new Proxy({} as Database, {
  // A proxy so that importing this module opens nothing: the client is created on first use, after
  // env validation has run.
  get(_target, property) {
    const client = instance().client as unknown as Record<PropertyKey, unknown>;
    const value = client[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

export function databaseProvider(): DatabaseProvider {
  return instance().provider;
}

/**
 * SQL NULL for a Json column in a Prisma create/update (a plain null is refused there). Always take it
 * from here, not from `@prisma/client`: on PostgreSQL, `@prisma/client`'s DbNull is another runtime's
 * object and would be written as `{}`.
 */
export function dbNull(): typeof Prisma.DbNull {
  return instance().namespace.DbNull;
}

/** The Prisma error code of a known request error (read by shape, for the same reason as dbNull). */
export function prismaErrorCode(error: unknown): string | null {
  if (!(error instanceof Error) || error.name !== "PrismaClientKnownRequestError") return null;
  const { code } = error as Error & { code?: unknown };
  return typeof code === "string" ? code : null;
}

/** Closes the client (tests and graceful shutdown). */
export async function disconnectDatabase(): Promise<void> {
  const current = globalThis.shopSyncDatabase;
  globalThis.shopSyncDatabase = undefined;
  await current?.client.$disconnect();
}
