// Issue #12 item 9: PostgreSQL stalls (SIGSTOP on the server and its backends: connections stay open,
// nothing answers) while deliveries keep coming at a steady rate, as Shopify sends them. Ingest's queue
// is bounded by size, wait and commit time, and the pool has connect and query timeouts
// (app/db.server.ts), so during the stall every delivery is answered 503 within seconds instead of
// piling up with its body in memory; after SIGCONT the service is back within seconds; and once every
// refused delivery has been sent again (Shopify's retries), every delivery acknowledged with 200 is on
// disk exactly once, byte for byte. The server is the test's own (initdb in a temporary folder).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { COMMIT_TIMEOUT_MS, MAX_WAIT_MS } from "~/webhooks/delivery-store.server";
import { webhookSample } from "../support/webhook-samples";
import { startChildApp, type ChildApp } from "./support/child-app";
import { startPrivatePostgres, type PrivatePostgres } from "./support/private-postgres";
import { postDeliveryStatus } from "./support/webhooks";

const SHOP = "stalled.myshopify.com";
const STALL_MS = 10_000;
const STEADY_AFTER_MS = 4_000;
/** Offered during the stall: open loop, whatever the answers (Shopify does not slow down for us). */
const RATE_PER_SECOND = 150;
/** Bodies padded to this size, so that bodies held in memory would show in the process's RSS. */
const BODY_BYTES = 100_000;
const sample = webhookSample("products_update");

let postgres: PrivatePostgres;
let app: ChildApp;

const padded = (() => {
  const product = JSON.parse(sample) as Record<string, unknown>;
  product.body_html = `<p>${"x".repeat(BODY_BYTES)}</p>`;
  return JSON.stringify(product);
})();
const body = (n: number) => padded.replaceAll("788032119674292922", String(788032119674292922n + BigInt(n)));

/** Resident memory of a process, in MB (Linux /proc). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB$/m);
  return Number(line?.[1] ?? NaN) / 1024;
}

interface Answer {
  n: number;
  status: number | "connection";
  ms: number;
}

async function deliver(n: number): Promise<Answer> {
  const started = performance.now();
  const status = await postDeliveryStatus(app.url, {
    shop: SHOP,
    topic: "products/update",
    body: body(n),
    webhookId: `stall-${n}`,
  });
  return { n, status, ms: performance.now() - started };
}

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  postgres.migrate();
  await postgres.query(`INSERT INTO "shopify_stores" ("shop", "name", "updatedAt") VALUES ($1, 'Stalled', now())`, [
    SHOP,
  ]);
  app = await startChildApp({ DATABASE_URL: postgres.url });
}, 90_000);

afterAll(async () => {
  postgres?.resume();
  if (app && app.child.exitCode === null) app.child.kill("SIGKILL");
  await app?.exited;
  postgres?.destroy();
});

describe("PostgreSQL stalled (SIGSTOP) during deliveries", () => {
  it("refuses fast with bounded memory, comes back within seconds, and loses nothing it acknowledged", async () => {
    const answers: Answer[] = [];
    let n = 0;
    // Before: the database answers, every delivery is acknowledged.
    for (; n < 20; n++) answers.push(await deliver(n));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const rssBefore = rssMb(app.child.pid as number);

    postgres.pause();
    const stallStarted = performance.now();
    const during: Promise<Answer>[] = [];
    // Peak resident memory before the stall reached its steady state (every delivery refused within
    // about 3 s, so from then on as many bodies are released as arrive), and after.
    let rssSteady = rssBefore;
    let outstanding = 0;
    let mostOutstanding = 0;
    let rssPeak = rssBefore;
    // Open loop: every delivery due by now is sent, whatever the answers so far.
    for (let elapsed = 0; elapsed < STALL_MS; elapsed = performance.now() - stallStarted) {
      while (during.length < (elapsed / 1000) * RATE_PER_SECOND) {
        outstanding++;
        mostOutstanding = Math.max(mostOutstanding, outstanding);
        during.push(deliver(n++).finally(() => outstanding--));
      }
      const rss = rssMb(app.child.pid as number);
      if (elapsed < STEADY_AFTER_MS) rssSteady = Math.max(rssSteady, rss);
      else rssPeak = Math.max(rssPeak, rss);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const offered = during.length;
    // While still stalled: everything offered has been answered, quickly, and refused.
    const stalledAnswers = await Promise.all(during);
    const stallEnded = performance.now();
    postgres.resume();
    answers.push(...stalledAnswers);
    expect(performance.now() - stallStarted).toBeLessThan(STALL_MS + MAX_WAIT_MS + COMMIT_TIMEOUT_MS + 2_000);
    expect(stalledAnswers.filter((a) => a.status !== 503)).toEqual([]);
    const slowest = Math.max(...stalledAnswers.map((a) => a.ms));
    expect(slowest).toBeLessThan(MAX_WAIT_MS + COMMIT_TIMEOUT_MS + 1_000);
    // Nothing piles up: each delivery is answered within about 3 s, so no more than about 3 s of
    // arrivals are ever waiting (each with its body in the server's memory), however long the stall.
    expect(offered * BODY_BYTES).toBeGreaterThan(100_000_000);
    expect(mostOutstanding).toBeLessThan(((MAX_WAIT_MS + COMMIT_TIMEOUT_MS + 1_000) / 1000) * RATE_PER_SECOND);
    // And memory stops growing once deliveries are refused as fast as they arrive. Held until the
    // database came back, the bodies offered after the steady state (6 s × 150/s × 100 kB = 90 MB, two or
    // three times that as buffers, strings and parsed JSON) would show as growth here.
    expect(rssPeak - rssSteady).toBeLessThan(120);

    // After SIGCONT: acknowledged again within seconds.
    const resumed = performance.now();
    let back: Answer;
    do back = await deliver(n++);
    while (back.status !== 200 && performance.now() - resumed < 30_000);
    answers.push(back);
    const backWithinMs = performance.now() - resumed;
    expect(back.status).toBe(200);
    expect(backWithinMs).toBeLessThan(10_000);

    // Shopify's retries: every delivery not acknowledged is sent again until it is.
    const retryDeadline = performance.now() + 60_000;
    let pending = answers.filter((a) => a.status !== 200).map((a) => a.n);
    while (pending.length > 0 && performance.now() < retryDeadline) {
      const retried = await Promise.all(pending.map((m) => deliver(m)));
      answers.push(...retried);
      pending = retried.filter((a) => a.status !== 200).map((a) => a.n);
    }
    expect(pending).toEqual([]);

    const acknowledged = new Set(answers.filter((a) => a.status === 200).map((a) => a.n));
    const rows = await postgres.query<{ webhookId: string; rawBody: string }>(
      `SELECT "webhookId", "rawBody" FROM "shopify_webhook_events" WHERE shop = $1`,
      [SHOP],
    );
    const stored = new Map<string, string>();
    for (const row of rows) {
      expect(stored.has(row.webhookId), `${row.webhookId} stored twice`).toBe(false);
      stored.set(row.webhookId, row.rawBody);
    }
    const lost = [...acknowledged].filter((m) => stored.get(`stall-${m}`) !== body(m));
    expect(lost).toEqual([]);
    expect(stored.size).toBe(n);
    console.info(
      JSON.stringify({
        offered,
        stallMs: Math.round(stallEnded - stallStarted),
        slowestMs: Math.round(slowest),
        rssBefore: Math.round(rssBefore),
        rssPeak: Math.round(rssPeak),
        mostOutstanding,
        backWithinMs: Math.round(backWithinMs),
      }),
    );
  }, 180_000);
});
