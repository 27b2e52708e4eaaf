// The job queue recovers from its own failures (issue #12, items 4, 5, 7 and 8), against a real
// database: SQLite by default, PostgreSQL (graphile-worker) with DATABASE_URL=postgresql://….
// Failures are real ones: a SQLite trigger that refuses a write, a table that is briefly gone, a
// PostgreSQL backend terminated with pg_terminate_backend, a worker process sent SIGTERM.
import { spawn } from "node:child_process";
import path from "node:path";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { isPostgres, readRuns, queueTestState, waitFor } from "../../../tests/support/queue-harness";
import { superviseWorker } from "~/sync/embedded-worker.server";
import { fixtureTasks } from "../../../tests/support/queue-fixture-worker";
import { enqueue, queueDepth, runUntilIdle, startWorker } from "~/sync/queue/queue.server";

const logger = pino({ level: "silent" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const postgres = isPostgres;

const { workers, children, scratch } = queueTestState("shop-sync-queue-recovery", async () => {
  await db.$executeRawUnsafe("DROP TRIGGER IF EXISTS refuse_outcome_delete");
  await db.$executeRawUnsafe("DROP TABLE IF EXISTS outcome_fault");
});

async function lockedJobs(): Promise<number> {
  return (await queueDepth()).running;
}

// SQLite only: PostgreSQL's queue is graphile-worker, whose bookkeeping writes are its own.
describe.runIf(!isPostgres())("outcome writes (SQLite queue)", () => {
  // The job's row refuses to be deleted (its success outcome) while outcome_fault has a row.
  async function refuseOutcomeWrites() {
    await db.$executeRawUnsafe("CREATE TABLE outcome_fault (id INTEGER)");
    await db.$executeRawUnsafe("INSERT INTO outcome_fault VALUES (1)");
    await db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_outcome_delete BEFORE DELETE ON job_queue
      WHEN EXISTS (SELECT 1 FROM outcome_fault)
      BEGIN SELECT RAISE(ABORT, 'disk I/O error (injected)'); END`);
  }
  const allowOutcomeWrites = () => db.$executeRawUnsafe("DELETE FROM outcome_fault");

  it("retries an outcome write that fails for a moment: the job is recorded, and ran once", async () => {
    await refuseOutcomeWrites();
    let runs = 0;
    await enqueue("test/echo", {}, { queueName: "shop:a" });
    workers.push(
      await startWorker({
        tasks: { "test/echo": async () => void (runs += 1) },
        pollIntervalMs: 25,
        lockTimeoutMs: 3_000,
        logger,
      }),
    );
    await waitFor(() => runs === 1);
    await sleep(300); // the delete is refused meanwhile
    expect(await queueDepth()).toMatchObject({ running: 1 });
    await allowOutcomeWrites();
    await waitFor(async () => (await db.job.count()) === 0, 5_000);
    expect(runs).toBe(1);
  });

  it("releases a job whose outcome cannot be written, instead of heartbeating its lock forever", async () => {
    await refuseOutcomeWrites();
    const attempts: number[] = [];
    const { id } = await enqueue("test/echo", {}, { queueName: "shop:a", maxAttempts: 5 });
    const lockTimeoutMs = 400;
    workers.push(
      await startWorker({
        tasks: { "test/echo": async (_payload, { job }) => void attempts.push(job.attempts) },
        pollIntervalMs: 25,
        lockTimeoutMs,
        sweepIntervalMs: 100,
        logger,
      }),
    );
    await waitFor(() => attempts.length === 1);
    // Before the fix the heartbeat kept confirming the lock of the job whose outcome was lost, so it
    // stayed locked (and its queue blocked) for the life of the process.
    await waitFor(async () => (await lockedJobs()) === 0 || attempts.length > 1, 10 * lockTimeoutMs);
    await allowOutcomeWrites();
    await waitFor(async () => (await db.job.count({ where: { id: Number(id) } })) === 0, 10 * lockTimeoutMs);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts[1]).toBe(2);
  });
});

describe("job keys and backoff", () => {
  it("re-enqueueing a failing job's key keeps its attempts and backoff", async () => {
    const attempts: number[] = [];
    const tasks = {
      "test/failing": async (_payload: unknown, { job }: { job: { attempts: number } }) => {
        attempts.push(job.attempts);
        throw new Error("503 from Shopify");
      },
    };
    const options = { queueName: "shop:backoff", jobKey: "webhooks/process:a:products", maxAttempts: 10 };
    await enqueue("test/failing", { n: 0 }, options);
    // SQLite: a 30 s first backoff; PostgreSQL: graphile-worker's own (e^1 s ≈ 2.7 s).
    const backoff = { baseMs: 30_000, maxMs: 60_000 };
    expect(await runUntilIdle({ tasks, backoff, logger })).toBe(1);
    // Steady traffic: the key is enqueued again and again while the job waits for its retry.
    for (let n = 1; n <= 20; n += 1) await enqueue("test/failing", { n }, options);
    expect(await runUntilIdle({ tasks, backoff, logger })).toBe(0);
    expect(attempts).toEqual([1]);
    expect(await queueDepth()).toMatchObject({ ready: 0, scheduled: 1 });
    if (postgres()) {
      // When its retry is due, the job runs as attempt 2, with the latest payload.
      const seen: Array<{ payload: unknown; attempts: number }> = [];
      await waitFor(async () => {
        await runUntilIdle({
          tasks: { "test/failing": async (payload, { job }) => void seen.push({ payload, attempts: job.attempts }) },
          logger,
        });
        return seen.length > 0;
      }, 10_000);
      expect(seen).toEqual([{ payload: { n: 20 }, attempts: 2 }]);
    } else {
      const row = await db.job.findFirstOrThrow({ where: { jobKey: options.jobKey } });
      expect(row).toMatchObject({ attempts: 1, lastError: "503 from Shopify", payload: JSON.stringify({ n: 20 }) });
      expect(new Date(row.runAt).getTime()).toBeGreaterThan(Date.now() + 10_000);
    }
  });
});

describe("shutdown after the grace period", () => {
  it("keeps the lock of a job still running: no other worker runs it while this process does", async () => {
    const runsFile = path.join(scratch, "grace.jsonl");
    const lockTimeoutMs = 400;
    // Longer than graphile-worker's first retry delay (e^1 s), so a job failed at shutdown would run
    // again before this attempt ends.
    const taskMs = postgres() ? 4_500 : 1_500;
    const first = await startWorker({
      tasks: fixtureTasks("first", runsFile),
      pollIntervalMs: 25,
      lockTimeoutMs,
      sweepIntervalMs: 100,
      gracefulShutdownMs: 200,
      logger,
    });
    workers.push(first);
    await enqueue("test/stubborn", { ms: taskMs }, { queueName: "shop:grace", maxAttempts: 3 });
    await waitFor(() => readRuns(runsFile).some((run) => run.event === "start"));
    workers.push(
      await startWorker({
        tasks: fixtureTasks("second", runsFile),
        pollIntervalMs: 25,
        lockTimeoutMs,
        sweepIntervalMs: 100,
        logger,
      }),
    );
    const outcome = await first.stop();
    await waitFor(() => readRuns(runsFile).some((run) => run.event === "end" && run.worker === "first"), taskMs * 3);
    await sleep(postgres() ? 3_500 : 800);
    const runs = readRuns(runsFile);
    expect(runs.filter((run) => run.event === "start").map((run) => run.worker)).toEqual(["first"]);
    expect(outcome).toEqual({ stillRunning: 1 });
    // The attempt that outlived the grace period finished here and was recorded: nothing left to run.
    expect(await queueDepth()).toMatchObject({ ready: 0, scheduled: 0, running: 0 });
  });
});

describe("worker processes", () => {
  function spawnWorkerProcess(config: Record<string, unknown>) {
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("tests/support/queue-fixture-worker.ts")], {
      env: { ...process.env, QUEUE_FIXTURE: JSON.stringify(config), LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
    return { child, exited, output: () => output };
  }

  it("SIGTERM drains: the running job finishes and is recorded, then the process exits 0", async () => {
    const runsFile = path.join(scratch, "sigterm.jsonl");
    const worker = spawnWorkerProcess({ tag: "w", runsFile, concurrency: 1, lockTimeoutMs: 60_000 });
    await waitFor(() => readRuns(runsFile).some((run) => run.event === "ready"), 30_000);
    await enqueue("test/record", { ms: 800 }, { queueName: "shop:sigterm" });
    await waitFor(() => readRuns(runsFile).some((run) => run.event === "start"));
    worker.child.kill("SIGTERM");
    expect(await worker.exited).toBe(0);
    expect(readRuns(runsFile).filter((run) => run.event === "end")).toHaveLength(1);
    expect(await queueDepth()).toMatchObject({ ready: 0, running: 0, scheduled: 0 });
  });

  it.runIf(isPostgres())("a worker process that lost its database connection exits non-zero and says why", async () => {
    const runsFile = path.join(scratch, "lost.jsonl");
    const worker = spawnWorkerProcess({ tag: "w", runsFile, concurrency: 1, lockTimeoutMs: 60_000 });
    await waitFor(() => readRuns(runsFile).some((run) => run.event === "ready"), 30_000);
    await terminateWorkerConnections();
    expect(await worker.exited).not.toBe(0);
    expect(worker.output()).toMatch(/liveness connection/);
  });
});

/** Ends the queue worker's PostgreSQL sessions (its liveness connection among them). */
async function terminateWorkerConnections(): Promise<number> {
  const rows = await db.$queryRaw<Array<{ terminated: boolean }>>`
    SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
    WHERE application_name LIKE 'shop-sync-queue:%' AND datname = current_database()`;
  return rows.length;
}

describe("the embedded worker", () => {
  it("restarts, with backoff, after its worker could no longer work", async () => {
    const ran: string[] = [];
    const tasks = { "test/echo": async (payload: unknown) => void ran.push((payload as { n: string }).n) };
    if (!postgres()) {
      // SQLite: the worker cannot even start while its table is gone.
      await db.$executeRawUnsafe("ALTER TABLE job_queue RENAME TO job_queue_away");
    }
    const supervisor = superviseWorker(
      { tasks, pollIntervalMs: 25, logger },
      { restartDelayMs: { baseMs: 100, maxMs: 400 } },
    );
    workers.push(supervisor);
    if (postgres()) {
      await enqueue("test/echo", { n: "before" }, { queueName: "shop:embedded" });
      await waitFor(() => ran.includes("before"));
      expect(await terminateWorkerConnections()).toBeGreaterThan(0);
      await sleep(500);
    } else {
      await sleep(500);
      await db.$executeRawUnsafe("ALTER TABLE job_queue_away RENAME TO job_queue");
    }
    await enqueue("test/echo", { n: "after" }, { queueName: "shop:embedded" });
    await waitFor(() => ran.includes("after"), 15_000);
    expect(supervisor.restarts).toBeGreaterThan(0);
  });
});
