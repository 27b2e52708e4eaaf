#!/usr/bin/env node
// Renders prisma/postgresql/schema.prisma from prisma/schema.prisma (the source of truth, SQLite).
// Prisma allows one provider per schema file, and generates one client per provider, so PostgreSQL
// needs its own file; rendering it keeps a single data model. `--check` exits 1 when the committed
// file is stale (CI's drift gate runs it).
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";

const SOURCE = "prisma/schema.prisma";
const TARGET = "prisma/postgresql/schema.prisma";

const source = readFileSync(SOURCE, "utf8");
const datasource = /datasource db \{[^}]*\}/;
const generator = /generator client \{[^}]*\}/;
if (!datasource.test(source) || !generator.test(source)) {
  throw new Error(`${SOURCE}: expected one "datasource db" and one "generator client" block`);
}
const rendered =
  `// GENERATED from prisma/schema.prisma by tools/db/render-postgres-schema.mjs: do not edit.\n` +
  source
    .replace(
      generator,
      `generator client {\n  provider   = "prisma-client-js"\n  engineType = "client"\n  output     = "../generated/postgresql"\n}`,
    )
    .replace(datasource, `datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}`);

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(TARGET, "utf8");
  } catch {
    // No rendered file yet: it is stale by definition.
  }
  if (current !== rendered) {
    console.error(`${TARGET} is stale: run \`npm run db:render-postgres\` and commit it.`);
    process.exit(1);
  }
} else {
  mkdirSync("prisma/postgresql", { recursive: true });
  writeFileSync(TARGET, rendered);
}
