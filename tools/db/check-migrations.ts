// Schema-drift gate: fails when prisma/schema.prisma (or its rendered PostgreSQL twin) and the
// committed migrations disagree. It applies the migrations to a scratch database and asks Prisma's
// `db push` whether anything is left to change. (`migrate diff --from-migrations` would be the
// natural tool, but its shadow database does not work through driver adapters in Prisma 6.19, and
// native engines are not available here.)
//
// SQLite is always checked; PostgreSQL when DATABASE_URL points at one (CI runs both).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { resolveDatabase } from "../../app/db/database-url";

/** tools/db/unref-engine-timers.cjs: without it every `db push` here took a minute (its comment). */
const UNREF_ENGINE_TIMERS = path.resolve("tools/db/unref-engine-timers.cjs");
/** The CLI's entry, run by this Node with the preload (npx does not pass NODE_OPTIONS on to it). */
const PRISMA_CLI = createRequire(import.meta.url).resolve("prisma/build/index.js");

function prisma(args: string[], databaseUrl: string): string {
  return execFileSync(process.execPath, ["--require", UNREF_ENGINE_TIMERS, PRISMA_CLI, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: "1" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function assertInSync(provider: string, databaseUrl: string): void {
  prisma(["migrate", "deploy"], databaseUrl);
  const output = prisma(["db", "push", "--skip-generate"], databaseUrl);
  if (!output.includes("already in sync")) {
    console.error(output);
    throw new Error(
      `${provider}: the migrations do not produce prisma/schema.prisma. Create a migration for your ` +
        `schema change (see README, "Changing the data model").`,
    );
  }
  console.log(`schema drift check: ${provider} migrations match the schema`);
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(tmpdir(), "shop-sync-drift-"));
  try {
    assertInSync("sqlite", `file:${path.join(scratch, "drift.sqlite")}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  const target = resolveDatabase(process.env.DATABASE_URL);
  if (target.provider !== "postgresql") return;
  const name = `shop_sync_drift_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = new URL(target.url);
    url.pathname = `/${name}`;
    assertInSync("postgresql", url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
