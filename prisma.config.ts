// Prisma CLI configuration. Prisma's native engines cannot be downloaded on our machines (and need not
// be anywhere): the CLI runs its WebAssembly schema engine through the same driver adapters the app
// uses (`engine: "js"`). The database is chosen by DATABASE_URL exactly as at run time
// (app/db/database-url.ts), so `npm run setup` migrates whichever database the app will use.
import "dotenv/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";
import { resolveDatabase } from "./app/db/database-url";
import { createPgMigrationAdapter } from "./tools/db/pg-migration-adapter";

const database = resolveDatabase(process.env.DATABASE_URL);

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: database.schemaPath,
  migrations: { path: database.migrationsPath },
  adapter: async () =>
    database.provider === "postgresql"
      ? createPgMigrationAdapter(database.url)
      : new PrismaBetterSQLite3({ url: database.url }),
});
