// graphile-worker's own PostgreSQL pool (app/sync/queue/postgres.server.ts) has the app's timeouts
// (postgresPoolConfig, app/db.server.ts; docs/decisions/0042-queue-pool-timeouts.md): a database that
// does not answer fails the worker's start within the connect timeout instead of holding it for ever,
// and the worker still takes jobs — through its LISTEN connection too — with the timeouts on.
// PostgreSQL only: on SQLite the queue is a table of the app's own database, without a pool of its own.
import net from "node:net";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, POSTGRES_CONNECT_TIMEOUT_MS, POSTGRES_STATEMENT_TIMEOUT_MS, postgresPoolConfig } from "~/db.server";
import { resolveDatabase } from "~/db/database-url";
import { enqueue, startWorker } from "~/sync/queue/queue.server";
import { isPostgres, queueTestState, waitFor } from "../../../tests/support/queue-harness";
import { QUEUE_POOL_APPLICATION_NAME, queuePoolConfig } from "./postgres.server";

const logger = pino({ level: "silent" });
const { workers } = queueTestState("shop-sync-queue-postgres");

describe.runIf(isPostgres())("graphile-worker's pool (PostgreSQL queue)", () => {
  // A server that accepts connections and never answers: PostgreSQL stalled (SIGSTOP, a dead
  // network path), as tests/webhooks/postgres-stall.test.ts makes it.
  const silent: net.Socket[] = [];
  const stalled = net.createServer((socket) => void silent.push(socket));
  beforeAll(async () => {
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    await db.$queryRaw`SELECT 1`; // the app's own client is open before DATABASE_URL changes below
  });
  afterAll(async () => {
    for (const socket of silent) socket.destroy();
    await new Promise((resolve) => stalled.close(resolve));
  });

  it("is the app's pool configuration: its sessions run with the app's statement timeout", async () => {
    const config = queuePoolConfig(12);
    expect(config).toMatchObject({ ...postgresPoolConfig(resolveDatabase(process.env.DATABASE_URL).url), max: 12 });
    const pool = new pg.Pool(config);
    try {
      const { rows } = await pool.query<{ statement_timeout: string }>("SHOW statement_timeout");
      expect(rows[0]?.statement_timeout).toBe(`${POSTGRES_STATEMENT_TIMEOUT_MS / 1000}s`);
    } finally {
      await pool.end();
    }
  });

  it("a database that never answers fails the worker's start within the connect timeout", async () => {
    const address = stalled.address() as net.AddressInfo;
    const url = process.env.DATABASE_URL;
    process.env.DATABASE_URL = `postgresql://postgres@127.0.0.1:${address.port}/postgres`;
    const started = Date.now();
    try {
      await expect(startWorker({ tasks: {}, logger })).rejects.toThrow(/timeout/i);
    } finally {
      process.env.DATABASE_URL = url;
    }
    expect(Date.now() - started).toBeLessThan(POSTGRES_CONNECT_TIMEOUT_MS + 3_000);
  }, 20_000);

  it("takes jobs through its LISTEN connection with the timeouts on", async () => {
    const ran: string[] = [];
    workers.push(
      await startWorker({
        tasks: { "test/echo": async (payload) => void ran.push((payload as { n: string }).n) },
        // Polling a minute apart: a job taken at once was announced on the LISTEN connection.
        pollIntervalMs: 60_000,
        logger,
      }),
    );
    // graphile-worker's LISTEN session is one of the pool's (named by its application_name).
    await waitFor(async () => {
      const rows = await db.$queryRaw<Array<{ query: string }>>`
        SELECT query FROM pg_stat_activity WHERE application_name = ${QUEUE_POOL_APPLICATION_NAME}`;
      return rows.some((row) => row.query.includes('LISTEN "jobs:insert"'));
    });
    await enqueue("test/echo", { n: "first" }, { queueName: "shop:listen" });
    await waitFor(() => ran.length === 1, 10_000);
    await enqueue("test/echo", { n: "second" }, { queueName: "shop:listen" });
    await waitFor(() => ran.length === 2, 10_000);
    expect(ran).toEqual(["first", "second"]);
  }, 30_000);
});
