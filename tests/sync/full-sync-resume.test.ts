// `kill -9` in the middle of a full sync: the worker runs in a child process and is killed with
// SIGKILL once some batches are committed; a new worker resumes the job from its checkpoint. The
// database then equals the emulator's store, and no committed batch was written again.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningEmulator } from "../support/emulator";
import { expectMirrorEqualsStore } from "../support/mirror";
import { installSyncStore, startSyncEmulator, waitFor, waitForSyncJobs } from "./full-sync.support";

const SHOP = "full-sync-resume.myshopify.com";
const LOCK_TIMEOUT_MS = 1_500;
let emulator: RunningEmulator;
let storeId: number;
const children: ChildProcess[] = [];

beforeAll(async () => {
  emulator = await startSyncEmulator(SHOP, { products: 1_000, maxVariants: 3, locations: 2, orders: 300 });
  storeId = (await installSyncStore(SHOP)).id;
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await emulator?.close();
});

function spawnWorker(): { child: ChildProcess; ready: Promise<void> } {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/sync/full-sync.fixture-worker.ts")], {
    env: {
      ...process.env,
      // Small batches with a pause, so the kill lands between the first batch and the last.
      FULL_SYNC_FIXTURE: JSON.stringify({ batchLines: 100, pauseBetweenBatchesMs: 30, lockTimeoutMs: LOCK_TIMEOUT_MS }),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk: Buffer) => chunk.toString().includes("ready") && resolve());
    child.once("exit", (code) => reject(new Error(`worker exited (${code}): ${stderr}`)));
  });
  return { child, ready };
}

const linesCommitted = (checkpoint: unknown) => (checkpoint as { linesCommitted?: number } | null)?.linesCommitted ?? 0;

describe("a full sync killed with SIGKILL", () => {
  it("resumes from its checkpoint on restart: same data, no batch written twice", async () => {
    const { db } = await import("~/db.server");
    const { requestFullSync } = await import("~/sync/triggers.server");
    await requestFullSync(storeId, "manual");

    const first = spawnWorker();
    await first.ready;
    // Some batches of some resource committed, and more to come.
    const victim = await waitFor(
      async () =>
        (await db.shopifySyncJob.findMany({ where: { storeId, status: "running" } })).find(
          (row) => linesCommitted(row.checkpoint) >= 300 && row.totalCount !== null && row.doneCount < row.totalCount,
        ),
      30_000,
      "a sync with committed batches",
    );
    first.child.kill("SIGKILL");
    await new Promise((resolve) => first.child.once("exit", resolve));
    const atKill = await db.shopifySyncJob.findUniqueOrThrow({ where: { id: victim.id } });
    expect(atKill.status).toBe("running");
    expect(atKill.doneCount).toBeLessThan(atKill.totalCount ?? 0);
    const committedAtKill = linesCommitted(atKill.checkpoint);
    expect(committedAtKill).toBeGreaterThanOrEqual(300);

    // Watch the checkpoint while the second worker resumes: it only ever grows.
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const row = await db.shopifySyncJob.findUnique({ where: { id: victim.id } });
        seen.push(linesCommitted(row?.checkpoint));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const second = spawnWorker();
    await second.ready;
    const rows = await waitForSyncJobs(storeId, 90_000);
    watching = false;
    await watcher;
    second.child.kill("SIGTERM");

    expect(rows.map((row) => [row.resource, row.status, row.error])).toEqual([
      ["inventory", "succeeded", null],
      ["orders", "succeeded", null],
      ["products", "succeeded", null],
    ]);
    // doneCount grows in the same transaction as each batch: a batch written again would be counted
    // again, so done = total means every line was committed exactly once across both workers.
    for (const row of rows) expect(row.doneCount).toBe(row.totalCount);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((value, i) => value >= committedAtKill && (i === 0 || value >= (seen[i - 1] ?? 0)))).toBe(true);
    const resumed = rows.find((row) => row.id === victim.id);
    expect(linesCommitted(resumed?.checkpoint)).toBe(resumed?.totalCount);

    await expectMirrorEqualsStore(emulator, SHOP, storeId);
  }, 120_000);
});
