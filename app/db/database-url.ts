// Which database Shop Sync uses, decided in one place for the app, the worker, the Prisma CLI and
// tests: SQLite in a file by default (no DATABASE_URL needed), PostgreSQL when DATABASE_URL says so.
// Not a .server.ts module because prisma.config.ts imports it too; it has no secrets.
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export interface DatabaseTarget {
  provider: DatabaseProvider;
  /** For SQLite, the absolute file path (better-sqlite3 takes a path, not a URL); for PostgreSQL the URL. */
  url: string;
  schemaPath: string;
  migrationsPath: string;
}

export const DEFAULT_SQLITE_FILE = "prisma/dev.sqlite";

export function resolveDatabase(databaseUrl: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const value = databaseUrl?.trim() || `file:${DEFAULT_SQLITE_FILE}`;
  if (value.startsWith("postgresql://") || value.startsWith("postgres://")) {
    return {
      provider: "postgresql",
      url: value,
      schemaPath: "prisma/postgresql/schema.prisma",
      migrationsPath: "prisma/postgresql/migrations",
    };
  }
  if (value.startsWith("file:")) {
    const file = value.slice("file:".length);
    return {
      provider: "sqlite",
      url: file === ":memory:" ? file : path.resolve(cwd, file),
      schemaPath: "prisma/schema.prisma",
      migrationsPath: "prisma/migrations",
    };
  }
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL); got "${value.split(":")[0]}:…"`,
  );
}
