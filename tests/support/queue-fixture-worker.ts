// A worker in a child process, for app/sync/queue/queue.server.test.ts: two processes sharing the queue,
// and a worker killed with SIGKILL while it runs a job. Started with `node --import tsx`; configured
// by QUEUE_FIXTURE (JSON). It records every task start and end as a JSON line in `runsFile`.
import { appendFileSync } from "node:fs";
import pino from "pino";
import { type TaskList } from "~/sync/queue/queue.server";
import { runWorkerProcess } from "~/sync/queue/worker-process.server";

interface FixtureConfig {
  tag: string;
  runsFile: string;
  concurrency: number;
  lockTimeoutMs: number;
  gracefulShutdownMs?: number;
}

const config = JSON.parse(process.env.QUEUE_FIXTURE ?? "{}") as FixtureConfig;
const record = (entry: Record<string, unknown>) =>
  appendFileSync(config.runsFile, `${JSON.stringify({ worker: config.tag, at: Date.now(), ...entry })}\n`);

export const fixtureTasks = (tag: string, runsFile: string): TaskList => ({
  "test/record": async (payload, { job }) => {
    const { ms } = payload as { ms: number };
    const log = (event: string) =>
      appendFileSync(
        runsFile,
        `${JSON.stringify({ worker: tag, at: Date.now(), event, job: job.id, queue: job.queueName, attempts: job.attempts })}\n`,
      );
    log("start");
    await new Promise((resolve) => setTimeout(resolve, ms));
    log("end");
  },
  // Ignores its abortSignal: a job that outlives the worker's shutdown grace period.
  "test/stubborn": async (payload, { job }) => {
    const { ms } = payload as { ms: number };
    const log = (event: string) =>
      appendFileSync(runsFile, `${JSON.stringify({ worker: tag, at: Date.now(), event, job: job.id })}\n`);
    log("start");
    await new Promise((resolve) => setTimeout(resolve, ms));
    log("end");
  },
  "test/hang": async (_payload, { job }) => {
    appendFileSync(
      runsFile,
      `${JSON.stringify({ worker: tag, at: Date.now(), event: "start", job: job.id, attempts: job.attempts })}\n`,
    );
    await new Promise(() => {}); // until the process is killed
  },
});

if (process.env.QUEUE_FIXTURE) {
  // The same process code as `npm run worker` (worker.ts), with these tasks.
  await runWorkerProcess({
    tasks: fixtureTasks(config.tag, config.runsFile),
    concurrency: config.concurrency,
    pollIntervalMs: 50,
    lockTimeoutMs: config.lockTimeoutMs,
    gracefulShutdownMs: config.gracefulShutdownMs,
    logger: pino({ level: process.env.LOG_LEVEL ?? "silent" }),
    onStarted: () => record({ event: "ready" }),
  });
}
