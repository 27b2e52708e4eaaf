// The queue tests' shared state (app/sync/queue/*.test.ts): the queue's tables migrated once, the
// workers and worker processes a test started stopped after it, each test starting from an empty
// queue, and a scratch folder for the runs files the fixture worker writes.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll } from "vitest";
import { databaseProvider, db } from "~/db.server";
import { migrateQueue } from "~/sync/queue/queue.server";

export const isPostgres = () => databaseProvider() === "postgresql";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 25 ms until it returns something truthy; throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("waitFor: timed out");
    await sleep(25);
  }
}

export interface QueueTestState {
  /** Stopped after each test. */
  workers: Array<{ stop(): Promise<unknown> }>;
  /** Killed (SIGKILL) after each test. */
  children: ChildProcess[];
  /** Removed after the file's tests. */
  scratch: string;
}

/**
 * Registers the hooks of a queue test file. `beforeEmptying` runs after each test's workers are
 * stopped and before the queue is emptied on SQLite (to drop a fault a test installed).
 */
export function queueTestState(name: string, beforeEmptying?: () => Promise<void>): QueueTestState {
  const state: QueueTestState = { workers: [], children: [], scratch: mkdtempSync(path.join(tmpdir(), `${name}-`)) };
  beforeAll(async () => {
    await migrateQueue();
  });
  afterEach(async () => {
    await Promise.all(state.workers.splice(0).map((worker) => worker.stop()));
    for (const child of state.children.splice(0)) child.kill("SIGKILL");
    if (isPostgres()) {
      await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
      return;
    }
    await beforeEmptying?.();
    await db.$executeRawUnsafe("DELETE FROM job_queue");
  });
  afterAll(() => rmSync(state.scratch, { recursive: true, force: true }));
  return state;
}

/** A line the fixture worker (./queue-fixture-worker.ts) writes to its runs file. */
export interface FixtureRun {
  worker: string;
  event: string;
  at: number;
  job?: string;
  queue?: string | null;
  attempts?: number;
}

export function readRuns(file: string): FixtureRun[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as FixtureRun);
}
