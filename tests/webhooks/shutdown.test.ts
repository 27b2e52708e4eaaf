// Issue #12 item 8 (web side): SIGTERM on the app's server (server.ts, the production build) while
// deliveries pour in. The server stops accepting, answers the deliveries already in flight, lets their
// group commits settle, and exits 0. Every delivery answered 200 is on disk, byte for byte; every other
// one was refused (503, or a connection the closing server no longer accepted), so Shopify retries it.
// None is acknowledged and lost, and the deliveries in flight at the signal were answered, not cut off.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { jobsWithKeyPrefix } from "../support/queue-jobs";
import { webhookSample } from "../support/webhook-samples";
import { startServerProcess, type ServerProcess } from "./support/server-process";
import { postDeliveryStatus } from "./support/webhooks";

const SHOP = "drained.myshopify.com";
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

beforeAll(async () => {
  await db.shopifyStore.create({ data: { shop: SHOP, name: "Drained", currencyCode: "USD" } });
  server = await startServerProcess({
    DATABASE_URL: process.env.DATABASE_URL as string,
    WORKER_IN_WEB_PROCESS: "false",
  });
}, 300_000);

afterAll(async () => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill("SIGKILL");
  await server?.exited;
});

interface Sent {
  webhookId: string;
  n: number;
  startedAt: number;
  finishedAt: number;
  status: number | "connection";
}

describe("SIGTERM on the web process", () => {
  it("drains: in-flight deliveries are answered and on disk, later ones refused, none acknowledged and lost", async () => {
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
          const status = await postDeliveryStatus(server.url, {
            shop: SHOP,
            topic: "inventory_levels/update",
            body: body(n),
            webhookId,
          });
          sent.push({ webhookId, n, startedAt, finishedAt: performance.now(), status });
          if (sent.length === SIGTERM_AFTER) {
            sigtermAt = performance.now();
            server.child.kill("SIGTERM");
          }
        }
      }),
    );
    expect(await server.exited).toBe(0);

    // Only three kinds of answer: acknowledged, refused with 503, or no connection.
    const kinds = new Set(sent.map((s) => s.status));
    expect(
      [...kinds].every((kind) => kind === 200 || kind === 503 || kind === "connection"),
      [...kinds].join(),
    ).toBe(true);

    const acknowledged = sent.filter((s) => s.status === 200);
    const rows = await db.shopifyWebhookEvent.findMany({
      where: { shop: SHOP },
      select: { webhookId: true, rawBody: true },
    });
    const stored = new Map(rows.map((row) => [row.webhookId, row.rawBody]));
    const lost = acknowledged.filter((s) => stored.get(s.webhookId) !== body(s.n));
    expect(lost.map((s) => s.webhookId)).toEqual([]);
    // The stored deliveries' processing job was enqueued with them (both commit in one transaction).
    const store = await db.shopifyStore.findUniqueOrThrow({ where: { shop: SHOP } });
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
    expect(server.output()).toMatch(/drained; exiting/);
    // And the server really stopped taking deliveries: the run's tail was refused.
    expect(sent.filter((s) => s.startedAt > sigtermAt && s.status !== 200).length).toBeGreaterThan(0);
  }, 120_000);
});
