// Issue #12 item 8 (web side): SIGTERM on the app's server (server.ts, the production build) while
// deliveries pour in. The server stops accepting, answers the deliveries already in flight, lets their
// group commits settle, and exits 0. Every delivery answered 200 is on disk, byte for byte; every other
// one was refused (503, or a connection the closing server no longer accepted), so Shopify retries it.
// None is acknowledged and lost, and the deliveries in flight at the signal were answered, not cut off.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { isPostgres } from "../support/queue-harness";
import { jobsWithKeyPrefix } from "../support/queue-jobs";
import { webhookSample } from "../support/webhook-samples";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { postDeliveryStatus } from "./support/webhooks";

const SHOP = "drained.myshopify.com";
const CLUSTER_SHOP = "drained-cluster.myshopify.com";
const DELIVERIES = 800;
const CONCURRENCY = 48;
const SIGTERM_AFTER = 200;
const IN_FLIGHT_MARGIN_MS = 20;
const sample = webhookSample("inventory_levels_update");
const body = (n: number) =>
  sample
    .replaceAll("271878346596884015", String(271878346596884015n + BigInt(n)))
    .replace(/"available":\s*\d+/, `"available": ${n % 50}`);

let server: ServerProcess;
let cluster: ServerProcess | undefined;

beforeAll(async () => {
  await db.shopifyStore.create({ data: { shop: SHOP, name: "Drained", currencyCode: "USD" } });
  server = await startServerProcess({
    DATABASE_URL: process.env.DATABASE_URL as string,
    WORKER_IN_WEB_PROCESS: "false",
  });
}, 300_000);

afterAll(async () => {
  for (const started of [server, cluster]) {
    if (started && started.child.exitCode === null && started.child.signalCode === null) started.child.kill("SIGKILL");
    await started?.exited;
  }
});

interface Sent {
  webhookId: string;
  n: number;
  startedAt: number;
  finishedAt: number;
  status: number | "connection";
}

/**
 * Sends DELIVERIES deliveries, CONCURRENCY at a time, to `target`; SIGTERM after SIGTERM_AFTER answers.
 * Then: the process exits 0; every acknowledged delivery is on disk byte for byte; the deliveries in
 * flight at the signal were answered, none cut off; later ones were refused.
 */
async function drainsUnderSigterm(target: ServerProcess, shop: string): Promise<void> {
  const sent: Sent[] = [];
  let next = 0;
  let sigtermAt = Infinity;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < DELIVERIES) {
        const n = next++;
        const webhookId = `drain-${n}`;
        const startedAt = performance.now();
        // "connection": refused or reset, the server no longer takes connections.
        const status = await postDeliveryStatus(target.url, {
          shop,
          topic: "inventory_levels/update",
          body: body(n),
          webhookId,
        });
        sent.push({ webhookId, n, startedAt, finishedAt: performance.now(), status });
        if (sent.length === SIGTERM_AFTER) {
          sigtermAt = performance.now();
          target.child.kill("SIGTERM");
        }
      }
    }),
  );
  expect(await target.exited).toBe(0);

  // Only three kinds of answer: acknowledged, refused with 503, or no connection.
  const kinds = new Set(sent.map((s) => s.status));
  expect(
    [...kinds].every((kind) => kind === 200 || kind === 503 || kind === "connection"),
    [...kinds].join(),
  ).toBe(true);

  const acknowledged = sent.filter((s) => s.status === 200);
  const rows = await db.shopifyWebhookEvent.findMany({
    where: { shop },
    select: { webhookId: true, rawBody: true },
  });
  const stored = new Map(rows.map((row) => [row.webhookId, row.rawBody]));
  const lost = acknowledged.filter((s) => stored.get(s.webhookId) !== body(s.n));
  expect(lost.map((s) => s.webhookId)).toEqual([]);
  // The stored deliveries' processing job was enqueued with them (both commit in one transaction).
  const store = await db.shopifyStore.findUniqueOrThrow({ where: { shop } });
  expect(await jobsWithKeyPrefix(`webhooks/process:${store.id}`)).toHaveLength(1);

  // The deliveries in flight when the signal came were answered (drained), none cut off. "In flight":
  // sent at least IN_FLIGHT_MARGIN_MS before the signal, so the server had read them. One sent a moment
  // before may still be in the socket when the server closes its idle keep-alive connection (HTTP
  // keep-alive's inherent race): the client sees the connection closed, gets no answer, and — like
  // Shopify — sends it again.
  const inFlight = sent.filter((s) => s.startedAt < sigtermAt - IN_FLIGHT_MARGIN_MS && s.finishedAt > sigtermAt);
  expect(inFlight.length).toBeGreaterThan(0);
  expect(inFlight.filter((s) => s.status === "connection")).toEqual([]);
  expect(inFlight.some((s) => s.status === 200)).toBe(true);
  // And the server really stopped taking deliveries: the run's tail was refused.
  expect(sent.filter((s) => s.startedAt > sigtermAt && s.status !== 200).length).toBeGreaterThan(0);
}

/** Until every web process of a cluster of `count` prints that it serves (startServerProcess waits for the first). */
const allServing = (target: ServerProcess, count: number) =>
  vi.waitFor(() => expect(target.output().match(/➜ {2}Local:/g)?.length ?? 0).toBe(count), {
    timeout: 60_000,
    interval: 50,
  });

describe("SIGTERM on the web process", () => {
  it("drains: in-flight deliveries are answered and on disk, later ones refused, none acknowledged and lost", async () => {
    await drainsUnderSigterm(server, SHOP);
    expect(server.output()).toMatch(/drained; exiting/);
  }, 120_000);

  // PostgreSQL only: a cluster shares the database among its processes (SQLite has one writer, so one
  // web process). The primary passes the signal on; each web process drains as above.
  it.runIf(isPostgres())(
    "drains a cluster of web processes (WEB_PROCESSES=2): each drains, the primary exits 0",
    async () => {
      await db.shopifyStore.create({ data: { shop: CLUSTER_SHOP, name: "Drained cluster", currencyCode: "USD" } });
      cluster = await startServerProcess({
        DATABASE_URL: process.env.DATABASE_URL as string,
        WORKER_IN_WEB_PROCESS: "false",
        WEB_PROCESSES: "2",
      });
      await allServing(cluster, 2);
      await drainsUnderSigterm(cluster, CLUSTER_SHOP);
      expect(cluster.output().match(/drained; exiting/g)).toHaveLength(2);
    },
    120_000,
  );

  it.runIf(isPostgres())(
    "a cluster whose web process dies while draining exits non-zero",
    async () => {
      const failing = await startServerProcess({
        DATABASE_URL: process.env.DATABASE_URL as string,
        WORKER_IN_WEB_PROCESS: "false",
        WEB_PROCESSES: "2",
      });
      cluster = failing;
      await allServing(failing, 2);
      const primary = failing.child.pid as number;
      const webProcesses = () =>
        execFileSync("pgrep", ["-P", String(primary)], { encoding: "utf8" })
          .split("\n")
          .filter(Boolean)
          .map(Number);
      await vi.waitFor(() => expect(webProcesses()).toHaveLength(2), { timeout: 30_000, interval: 100 });
      const [killed] = webProcesses();
      failing.child.kill("SIGTERM");
      // Once the primary passed the signal on (it is stopping), and within the web processes' linger of
      // a second before they close: one of them dies before it has drained.
      await vi.waitFor(() => expect(failing.output()).toContain("SIGTERM: draining"), {
        timeout: 10_000,
        interval: 20,
      });
      process.kill(killed as number, "SIGKILL");
      // Before: the primary exited 0 whatever became of its web processes.
      expect(await failing.exited).toBe(1);
      expect(failing.output()).toContain(`web process ${killed} did not drain (SIGKILL)`);
    },
    60_000,
  );
});
