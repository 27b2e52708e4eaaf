// Writes the migrations for a change to prisma/schema.prisma, for both providers:
//   npm run db:migration -- add_sync_cursors [--from <git rev>]
// It diffs the data model as committed at <rev> (default HEAD) against the working copy with
// `prisma migrate diff --from-schema-datamodel … --to-schema-datamodel … --script`, which needs no
// database and no shadow database (the latter does not work through driver adapters in Prisma 6.19,
// see docs/decisions/0002). Then run `npm run db:check` to prove the migrations match the schema.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const name = args.find((arg) => !arg.startsWith("--"));
const fromIndex = args.indexOf("--from");
const rev = fromIndex >= 0 ? args[fromIndex + 1] : "HEAD";
if (!name || !/^[a-z0-9_]+$/.test(name) || !rev) {
  console.error("usage: npm run db:migration -- <snake_case_name> [--from <git rev>]");
  process.exit(2);
}

const run = (command: string, commandArgs: string[], env: NodeJS.ProcessEnv = process.env) =>
  execFileSync(command, commandArgs, { encoding: "utf8", env, stdio: ["ignore", "pipe", "inherit"] });

const scratch = mkdtempSync(path.join(tmpdir(), "shop-sync-migration-"));
try {
  // The committed SQLite schema and its PostgreSQL rendering at <rev>.
  const before = {
    sqlite: path.join(scratch, "before.sqlite.prisma"),
    postgresql: path.join(scratch, "before.postgresql.prisma"),
  };
  writeFileSync(before.sqlite, run("git", ["show", `${rev}:prisma/schema.prisma`]));
  writeFileSync(before.postgresql, run("git", ["show", `${rev}:prisma/postgresql/schema.prisma`]));
  run("node", ["tools/db/render-postgres-schema.mjs"]);

  const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
  const targets = [
    { provider: "sqlite", from: before.sqlite, to: "prisma/schema.prisma", dir: "prisma/migrations" },
    {
      provider: "postgresql",
      from: before.postgresql,
      to: "prisma/postgresql/schema.prisma",
      dir: "prisma/postgresql/migrations",
      // Selects the PostgreSQL flavour in prisma.config.ts. The WebAssembly schema engine connects
      // even for a datamodel-to-datamodel diff, so a PostgreSQL server must be reachable; no table is
      // read or written.
      databaseUrl: process.env.DATABASE_URL?.startsWith("postgres")
        ? process.env.DATABASE_URL
        : "postgresql://postgres@127.0.0.1:5432/postgres",
    },
  ];
  for (const target of targets) {
    const sql = run(
      "npx",
      [
        "--no-install",
        "prisma",
        "migrate",
        "diff",
        "--from-schema-datamodel",
        target.from,
        "--to-schema-datamodel",
        target.to,
        "--script",
      ],
      { ...process.env, DATABASE_URL: target.databaseUrl ?? "file:prisma/dev.sqlite" },
    );
    if (!sql.trim() || /^-- This is an empty migration/m.test(sql)) {
      console.log(`${target.provider}: no changes`);
      continue;
    }
    const dir = path.join(target.dir, `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`${target.provider}: wrote ${dir}/migration.sql`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
