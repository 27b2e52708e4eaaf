// The only PrismaClient. The database is chosen by DATABASE_URL (app/db/database-url.ts): SQLite in a
// file by default, PostgreSQL in production. Both go through driver adapters (Prisma's native engines
// are not needed): better-sqlite3 for SQLite, node-postgres for PostgreSQL.
//
// Application code does not import this module for shop data: it goes through app/db/tenant.server.ts,
// which scopes every query to one store (eslint enforces it).
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { resolveDatabase, type DatabaseProvider } from "./db/database-url";

export type Database = PrismaClient;

function createClient(databaseUrl: string | undefined): { client: Database; provider: DatabaseProvider } {
  const target = resolveDatabase(databaseUrl);
  if (target.provider === "postgresql") {
    // Prisma generates one client per provider. The PostgreSQL one (same models, same API) is
    // generated into prisma/generated/postgresql by `npm run setup`, and loaded at run time so the
    // SQLite default needs nothing of it.
    const require = createRequire(import.meta.url);
    const generated = path.resolve(process.cwd(), "prisma/generated/postgresql");
    const { PrismaClient: PostgresClient } = require(generated) as { PrismaClient: typeof PrismaClient };
    return {
      provider: "postgresql",
      client: new PostgresClient({ adapter: new PrismaPg({ connectionString: target.url }) }),
    };
  }
  return {
    provider: "sqlite",
    // timeout: how long a writer waits for SQLite's lock (web and worker share the file) before
    // SQLITE_BUSY.
    client: new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: target.url, timeout: 10_000 }) }),
  };
}

declare global {
  // Survives Vite's dev-server module reloads, so development does not open a client per edit.
  var shopSyncDatabase: { client: Database; provider: DatabaseProvider } | undefined;
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

/** Closes the client (tests and graceful shutdown). */
export async function disconnectDatabase(): Promise<void> {
  const current = globalThis.shopSyncDatabase;
  globalThis.shopSyncDatabase = undefined;
  await current?.client.$disconnect();
}
