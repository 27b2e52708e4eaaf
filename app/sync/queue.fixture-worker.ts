// A worker in a child process, for app/sync/queue.server.test.ts: two processes sharing the queue,
// and a worker killed with SIGKILL while it runs a job. Started with `node --import tsx`; configured
// by QUEUE_FIXTURE (JSON). It records every task start and end as a JSON line in `runsFile`.
import { appendFileSync } from "node:fs";
import pino from "pino";
import { startWorker, type TaskList } from "./queue.server";

interface FixtureConfig {
  tag: string;
  runsFile: string;
  concurrency: number;
  lockTimeoutMs: number;
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
  "test/hang": async (_payload, { job }) => {
    appendFileSync(
      runsFile,
      `${JSON.stringify({ worker: tag, at: Date.now(), event: "start", job: job.id, attempts: job.attempts })}\n`,
    );
    await new Promise(() => {}); // until the process is killed
  },
});

if (process.env.QUEUE_FIXTURE) {
  const worker = await startWorker({
    tasks: fixtureTasks(config.tag, config.runsFile),
    concurrency: config.concurrency,
    pollIntervalMs: 50,
    lockTimeoutMs: config.lockTimeoutMs,
    logger: pino({ level: "silent" }),
  });
  record({ event: "ready" });
  process.once("SIGTERM", () => void worker.stop().then(() => process.exit(0)));
}
