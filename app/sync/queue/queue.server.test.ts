// The job queue against a real database: SQLite by default, PostgreSQL (graphile-worker) with
// DATABASE_URL=postgresql://… — the same tests, the same semantics.
import { spawn } from "node:child_process";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { isPostgres, readRuns, queueTestState, waitFor, type FixtureRun } from "../../../tests/support/queue-harness";
import { fixtureTasks } from "../../../tests/support/queue-fixture-worker";
import {
  UnrecoverableJobError,
  enqueue,
  queueDepth,
  retryDelayMs,
  runUntilIdle,
  startWorker,
  type JobInfo,
  type TaskList,
} from "~/sync/queue/queue.server";

const logger = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const postgres = isPostgres;

const { workers, children, scratch } = queueTestState("shop-sync-queue");

describe("enqueue and run", () => {
  it("runs a job with its payload and job info", async () => {
    const seen: Array<{ payload: unknown; job: JobInfo }> = [];
    await enqueue("test/echo", { hello: "world" }, { queueName: "shop:a.myshopify.com", maxAttempts: 3 });
    const ran = await runUntilIdle({
      tasks: { "test/echo": async (payload, { job }) => void seen.push({ payload, job }) },
      logger,
    });
    expect(ran).toBe(1);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.payload).toEqual({ hello: "world" });
    expect(seen[0]?.job).toMatchObject({
      taskIdentifier: "test/echo",
      queueName: "shop:a.myshopify.com",
      attempts: 1,
      maxAttempts: 3,
    });
    expect(await queueDepth()).toEqual({ ready: 0, scheduled: 0, running: 0, failed: 0 });
  });

  it("honours runAt", async () => {
    await enqueue("test/echo", {}, { runAt: new Date(Date.now() + 60_000) });
    expect(await runUntilIdle({ tasks: { "test/echo": async () => {} }, logger })).toBe(0);
    expect(await queueDepth()).toMatchObject({ ready: 0, scheduled: 1 });
  });

  it("enqueues in the caller's transaction: rolled back with it, committed with it", async () => {
    const store = (shop: string) => ({ data: { shop } });
    await expect(
      db.$transaction(async (tx) => {
        await tx.shopifyStore.create(store("rollback.myshopify.com"));
        await enqueue("test/echo", { n: 1 }, {}, tx);
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    expect(await db.shopifyStore.count()).toBe(0);
    expect(await queueDepth()).toMatchObject({ ready: 0 });

    await db.$transaction(async (tx) => {
      await tx.shopifyStore.create(store("commit.myshopify.com"));
      await enqueue("test/echo", { n: 2 }, {}, tx);
    });
    const payloads: unknown[] = [];
    expect(await runUntilIdle({ tasks: { "test/echo": async (payload) => void payloads.push(payload) }, logger })).toBe(
      1,
    );
    expect(payloads).toEqual([{ n: 2 }]);
  });
});

describe("job keys", () => {
  it("collapse a burst into one job with the latest payload", async () => {
    for (let n = 0; n < 10; n += 1) {
      await enqueue("test/echo", { n }, { queueName: "shop:a", jobKey: "products/sync:a:gid://shopify/Product/1" });
    }
    const payloads: unknown[] = [];
    expect(await runUntilIdle({ tasks: { "test/echo": async (payload) => void payloads.push(payload) }, logger })).toBe(
      1,
    );
    expect(payloads).toEqual([{ n: 9 }]);
  });

  it("preserve_run_at keeps the first job's schedule (debounce)", async () => {
    const later = new Date(Date.now() + 60_000);
    await enqueue("test/echo", { n: 0 }, { queueName: "shop:a", jobKey: "k", runAt: later });
    await enqueue("test/echo", { n: 1 }, { queueName: "shop:a", jobKey: "k", jobKeyMode: "preserve_run_at" });
    expect(await runUntilIdle({ tasks: { "test/echo": async () => {} }, logger })).toBe(0);
    await enqueue("test/echo", { n: 2 }, { queueName: "shop:a", jobKey: "k" }); // replace: runAt = now
    const payloads: unknown[] = [];
    expect(await runUntilIdle({ tasks: { "test/echo": async (payload) => void payloads.push(payload) }, logger })).toBe(
      1,
    );
    expect(payloads).toEqual([{ n: 2 }]);
  });

  it("a key enqueued while its job runs makes a new job that runs after it", async () => {
    const events: string[] = [];
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const tasks: TaskList = {
      "test/slow": async (payload) => {
        const { n } = payload as { n: number };
        events.push(`start ${n}`);
        if (n === 0) await released;
        events.push(`end ${n}`);
      },
    };
    await enqueue("test/slow", { n: 0 }, { queueName: "shop:a", jobKey: "k" });
    workers.push(await startWorker({ tasks, concurrency: 4, pollIntervalMs: 25, logger }));
    await waitFor(() => events.includes("start 0"));
    await enqueue("test/slow", { n: 1 }, { queueName: "shop:a", jobKey: "k" });
    await sleep(300);
    expect(events).toEqual(["start 0"]);
    release();
    await waitFor(() => events.includes("end 1"));
    expect(events).toEqual(["start 0", "end 0", "start 1", "end 1"]);
  });

  it("needs a queue name", async () => {
    await expect(enqueue("test/echo", {}, { jobKey: "k" })).rejects.toThrow(/queueName/);
  });
});

describe("queues", () => {
  it("run one job of a queue at a time, and different queues at once", async () => {
    const runsFile = path.join(scratch, "queues.jsonl");
    for (let n = 0; n < 3; n += 1) {
      await enqueue("test/record", { ms: 120 }, { queueName: "shop:a" });
      await enqueue("test/record", { ms: 120 }, { queueName: "shop:b" });
    }
    workers.push(
      await startWorker({ tasks: fixtureTasks("w1", runsFile), concurrency: 4, pollIntervalMs: 25, logger }),
    );
    const runs = await waitFor(() => {
      const all = readRuns(runsFile);
      return all.filter((run) => run.event === "end").length === 6 && all;
    });
    const intervals = toIntervals(runs);
    expect(intervals).toHaveLength(6);
    for (const queue of ["shop:a", "shop:b"]) expectNoOverlap(intervals.filter((i) => i.queue === queue));
    const a = intervals.filter((i) => i.queue === "shop:a");
    const b = intervals.filter((i) => i.queue === "shop:b");
    expect(a.some((x) => b.some((y) => x.start < y.end && y.start < x.end))).toBe(true);
  });
});

describe("failures", () => {
  it("retries with backoff, then fails for good and calls onPermanentFailure", async () => {
    // On PostgreSQL graphile-worker schedules retries itself (e^attempts seconds), so two attempts.
    const maxAttempts = postgres() ? 2 : 3;
    const attempts: Array<{ attempts: number; at: number }> = [];
    const failed: Array<{ job: JobInfo; error: Error }> = [];
    await enqueue("test/flaky", { id: 1 }, { queueName: "shop:a", maxAttempts });
    workers.push(
      await startWorker({
        tasks: {
          "test/flaky": async (_payload, { job }) => {
            attempts.push({ attempts: job.attempts, at: Date.now() });
            throw new Error(`503 from Shopify (attempt ${job.attempts})`);
          },
        },
        pollIntervalMs: 25,
        backoff: { baseMs: 100, maxMs: 1_000 },
        onPermanentFailure: (job, error) => void failed.push({ job, error }),
        logger,
      }),
    );
    await waitFor(() => failed.length === 1, 20_000);
    expect(attempts.map((a) => a.attempts)).toEqual(Array.from({ length: maxAttempts }, (_, i) => i + 1));
    // Backoff: the second attempt waits at least half the first delay (jitter), the third longer.
    const gap = (i: number) => (attempts[i]?.at ?? 0) - (attempts[i - 1]?.at ?? 0);
    expect(gap(1)).toBeGreaterThanOrEqual(postgres() ? 2_000 : 50);
    if (!postgres()) expect(gap(2)).toBeGreaterThanOrEqual(100);
    expect(failed[0]?.job).toMatchObject({ attempts: maxAttempts, maxAttempts });
    expect(failed[0]?.error.message).toBe(`503 from Shopify (attempt ${maxAttempts})`);
    await sleep(200);
    expect(attempts).toHaveLength(maxAttempts);
    expect(await queueDepth()).toMatchObject({ ready: 0, scheduled: 0, running: 0, failed: 1 });
  });

  it("UnrecoverableJobError fails the job at once", async () => {
    let runs = 0;
    const failed: Array<{ job: JobInfo; error: Error }> = [];
    await enqueue("test/invalid", { bad: true }, { queueName: "shop:a", maxAttempts: 5 });
    const ran = await runUntilIdle({
      tasks: {
        "test/invalid": async () => {
          runs += 1;
          throw new UnrecoverableJobError("payload is not a product id");
        },
      },
      onPermanentFailure: (job, error) => void failed.push({ job, error }),
      logger,
    });
    expect(ran).toBe(1);
    expect(runs).toBe(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.error).toBeInstanceOf(UnrecoverableJobError);
    expect(failed[0]?.job).toMatchObject({ attempts: 1, maxAttempts: 5 });
    const depth = await queueDepth();
    expect(depth).toMatchObject({ ready: 0, scheduled: 0, running: 0 });
    // SQLite keeps the failed job; graphile-worker completes it (the hook holds the dead letter).
    expect(depth.failed).toBe(postgres() ? 0 : 1);
  });

  it("an unknown task identifier is not claimed", async () => {
    await enqueue("test/unknown", {}, {});
    expect(await runUntilIdle({ tasks: { "test/echo": async () => {} }, logger })).toBe(0);
    expect(await queueDepth()).toMatchObject({ ready: 1 });
  });
});

describe("worker processes", () => {
  function spawnWorker(tag: string, runsFile: string, concurrency: number, lockTimeoutMs = 60_000) {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/support/queue-fixture-worker.ts")], {
      env: { ...process.env, QUEUE_FIXTURE: JSON.stringify({ tag, runsFile, concurrency, lockTimeoutMs }) },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    children.push(child);
    return {
      child,
      ready: waitFor(() => {
        if (child.exitCode !== null) throw new Error(`worker ${tag} exited: ${stderr}`);
        return readRuns(runsFile).some((run) => run.worker === tag && run.event === "ready");
      }, 30_000),
    };
  }

  it("two processes share the jobs of several queues, no job twice, no queue overlapping", async () => {
    const runsFile = path.join(scratch, "shared.jsonl");
    await spawnWorker("child", runsFile, 2).ready;
    workers.push(
      await startWorker({ tasks: fixtureTasks("parent", runsFile), concurrency: 2, pollIntervalMs: 25, logger }),
    );
    const queues = ["shop:a", "shop:b", "shop:c", "shop:d"];
    for (let n = 0; n < 4; n += 1) {
      for (const queueName of queues) await enqueue("test/record", { ms: 80 }, { queueName });
    }
    const runs = await waitFor(() => {
      const all = readRuns(runsFile);
      return all.filter((run) => run.event === "end").length === 16 && all;
    }, 30_000);
    await sleep(200);
    const intervals = toIntervals(readRuns(runsFile));
    expect(intervals).toHaveLength(16);
    expect(new Set(intervals.map((i) => i.job)).size).toBe(16); // each job ran once
    for (const queue of queues) expectNoOverlap(intervals.filter((i) => i.queue === queue));
    const byWorker = new Set(runs.filter((run) => run.event === "start").map((run) => run.worker));
    expect(byWorker).toEqual(new Set(["child", "parent"]));
  });

  it("a job of a worker killed with SIGKILL runs again after restart", async () => {
    const runsFile = path.join(scratch, "killed.jsonl");
    const lockTimeoutMs = 400;
    const { child, ready } = spawnWorker("doomed", runsFile, 1, lockTimeoutMs);
    await ready;
    const { id } = await enqueue("test/hang", {}, { queueName: "shop:a", maxAttempts: 3 });
    await waitFor(() => readRuns(runsFile).some((run) => run.event === "start" && run.worker === "doomed"));
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));

    const resumed: JobInfo[] = [];
    workers.push(
      await startWorker({
        tasks: { "test/hang": async (_payload, { job }) => void resumed.push(job) },
        pollIntervalMs: 25,
        lockTimeoutMs,
        sweepIntervalMs: 100,
        logger,
      }),
    );
    await waitFor(() => resumed.length === 1);
    expect(resumed[0]).toMatchObject({ id, attempts: 2 });
  });
});

describe("shutdown", () => {
  it("stop() takes no new job and lets the running one finish", async () => {
    const events: string[] = [];
    await enqueue("test/slow", { n: 0 }, { queueName: "shop:a" });
    await enqueue("test/slow", { n: 1 }, { queueName: "shop:a" });
    const worker = await startWorker({
      tasks: {
        "test/slow": async (payload) => {
          events.push(`start ${(payload as { n: number }).n}`);
          await sleep(200);
          events.push(`end ${(payload as { n: number }).n}`);
        },
      },
      pollIntervalMs: 25,
      logger,
    });
    await waitFor(() => events.includes("start 0"));
    await worker.stop();
    expect(events).toEqual(["start 0", "end 0"]);
    expect(await queueDepth()).toMatchObject({ ready: 1, running: 0 });
  });
});

describe("retryDelayMs", () => {
  it("grows exponentially, is capped, and is jittered into [50%, 100%]", () => {
    const backoff = { baseMs: 1_000, maxMs: 10_000 };
    expect(retryDelayMs(1, backoff, () => 1)).toBe(1_000);
    expect(retryDelayMs(3, backoff, () => 1)).toBe(4_000);
    expect(retryDelayMs(10, backoff, () => 1)).toBe(10_000);
    expect(retryDelayMs(3, backoff, () => 0)).toBe(2_000);
  });
});

function toIntervals(runs: FixtureRun[]) {
  const starts = runs.filter((run) => run.event === "start");
  return starts.map((start) => {
    const end = runs.find((run) => run.event === "end" && run.job === start.job && run.worker === start.worker);
    return { job: start.job, queue: start.queue, worker: start.worker, start: start.at, end: end?.at ?? Infinity };
  });
}

function expectNoOverlap(intervals: Array<{ start: number; end: number }>) {
  const sorted = [...intervals].sort((x, y) => x.start - y.start);
  for (let i = 1; i < sorted.length; i += 1) {
    expect(sorted[i]?.start).toBeGreaterThanOrEqual(sorted[i - 1]?.end ?? Infinity);
  }
}
