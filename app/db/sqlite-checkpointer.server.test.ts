// The app's SQLite connection leaves checkpoints to the checkpoint thread: its own commits no longer
// copy the WAL into the database file at 1,000 pages (that held the event loop), and the thread does
// it within a few of its ticks.
import { mkdirSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { TEST_CACHE_DIR } from "../../tests/support/test-database";
import {
  CHECKPOINT_INTERVAL_MS,
  checkpointOffTheEventLoop,
  SAFETY_NET_PAGES,
  stopCheckpointThreads,
} from "./sqlite-checkpointer.server";

const driverPath = createRequire(import.meta.url).resolve("better-sqlite3");
const dir = path.join(TEST_CACHE_DIR, "checkpointer");
const ROWS = 2_000; // 6 kB each: about 3,000 pages, three times SQLite's default checkpoint threshold

let open: Sqlite.Database | null = null;
afterEach(async () => {
  await stopCheckpointThreads();
  open?.close();
  open = null;
});

function walDatabase(name: string): { connection: Sqlite.Database; file: string } {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}-${process.pid}.db`);
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
  const connection = new Sqlite(file);
  open = connection;
  connection.pragma("journal_mode = WAL");
  connection.exec("CREATE TABLE delivery (id INTEGER PRIMARY KEY, body TEXT)");
  return { connection, file };
}

function write(connection: Sqlite.Database): void {
  const insert = connection.prepare("INSERT INTO delivery (body) VALUES (?)");
  const batch = connection.transaction((count: number) => {
    for (let i = 0; i < count; i++) insert.run("x".repeat(6_000));
  });
  for (let written = 0; written < ROWS; written += 20) batch(20); // commits of 20, as ingest's group commit
}

const size = (file: string) => statSync(file).size;

describe("SQLite checkpoints off the event loop", () => {
  it("the app's connection does not checkpoint at 1,000 pages; the thread does", async () => {
    const { connection, file } = walDatabase("thread");
    checkpointOffTheEventLoop(connection, driverPath);
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(SAFETY_NET_PAGES);

    // With the thread stopped, commits past 1,000 pages leave the database file as it was: the pages
    // stay in the WAL (SQLite's default would have copied them back in the committing call).
    await stopCheckpointThreads();
    const before = size(file);
    write(connection);
    expect(size(`${file}-wal`)).toBeGreaterThan(ROWS * 6_000);
    expect(size(file)).toBe(before);

    // The thread, started again, copies them in within a few ticks.
    checkpointOffTheEventLoop(connection, driverPath);
    const deadline = performance.now() + 50 * CHECKPOINT_INTERVAL_MS;
    while (size(file) < ROWS * 6_000 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, CHECKPOINT_INTERVAL_MS));
    }
    expect(size(file)).toBeGreaterThan(ROWS * 6_000);
    expect(connection.prepare("SELECT count(*) AS n FROM delivery").get()).toEqual({ n: ROWS });
  });

  it("leaves an in-memory database alone", () => {
    const connection = new Sqlite(":memory:");
    open = connection;
    checkpointOffTheEventLoop(connection, driverPath);
    expect(connection.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });
});
