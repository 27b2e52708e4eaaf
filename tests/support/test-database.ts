// Test databases: global setup migrates one base database per run; each test file gets its own copy
// (a file copy for SQLite, CREATE DATABASE … TEMPLATE for PostgreSQL), so files run in parallel
// without seeing each other's rows, and no test pays for migrations.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { resolveDatabase } from "../../app/db/database-url";

export const TEST_CACHE_DIR = path.resolve(".cache/test");

export function isPostgres(databaseUrl: string | undefined): boolean {
  return resolveDatabase(databaseUrl).provider === "postgresql";
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Creates and migrates the base database; returns its URL. */
export async function createBaseDatabase(serverUrl: string | undefined): Promise<string> {
  mkdirSync(TEST_CACHE_DIR, { recursive: true });
  let url: string;
  if (isPostgres(serverUrl)) {
    const name = `shop_sync_test_base_${process.pid}`;
    await adminQuery(serverUrl as string, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await adminQuery(serverUrl as string, `CREATE DATABASE "${name}"`);
    url = withDatabase(serverUrl as string, name);
  } else {
    const file = path.join(TEST_CACHE_DIR, `base-${process.pid}.sqlite`);
    rmSync(file, { force: true });
    url = `file:${file}`;
  }
  execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return url;
}

export async function dropBaseDatabase(baseUrl: string): Promise<void> {
  if (isPostgres(baseUrl)) {
    const name = new URL(baseUrl).pathname.slice(1);
    await adminQuery(withDatabase(baseUrl, "postgres"), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } else {
    rmSync(resolveDatabase(baseUrl).url, { force: true });
  }
}

/** A private copy of the base database for one test file. */
export async function cloneDatabase(baseUrl: string, label: string): Promise<string> {
  const suffix = `${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`.replace(/[^a-z0-9_]/gi, "_");
  if (isPostgres(baseUrl)) {
    const base = new URL(baseUrl).pathname.slice(1);
    const name = `shop_sync_test_${suffix}`.slice(0, 63);
    await adminQuery(withDatabase(baseUrl, "postgres"), `CREATE DATABASE "${name}" TEMPLATE "${base}"`);
    return withDatabase(baseUrl, name);
  }
  const file = path.join(TEST_CACHE_DIR, `${suffix}.sqlite`);
  copyFileSync(resolveDatabase(baseUrl).url, file);
  return `file:${file}`;
}

export async function dropDatabase(url: string): Promise<void> {
  if (isPostgres(url)) {
    const name = new URL(url).pathname.slice(1);
    await adminQuery(withDatabase(url, "postgres"), `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } else {
    const file = resolveDatabase(url).url;
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(file + suffix, { force: true });
  }
}
