// Promise 4: PostgreSQL stops during deliveries. While it is down the app answers non-200 (503: Shopify
// retries), and once it is back Shopify's retries bring every delivery in, each stored exactly once.
// The server is the test's own (initdb in a temporary folder), so stopping it harms nothing else; the
// app runs in a child process against it; the emulator delivers with Shopify's retry schedule
// compressed (timeScale).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeliveryRecord } from "../../tools/shopify-emulator/src/testing";
import { startTestEmulator, type RunningEmulator } from "../support/emulator";
import { startChildApp, type ChildApp } from "./support/child-app";
import { startPrivatePostgres, type PrivatePostgres } from "./support/private-postgres";

const SHOP = "outage.myshopify.com";
const BEFORE = 15; // delivered while PostgreSQL is up
const DURING = 25; // sent while it is down
const sample = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/products_update.json", "utf8");

let postgres: PrivatePostgres;
let app: ChildApp;
let emulator: RunningEmulator;

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: postgres.url });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: postgres.url },
    stdio: ["ignore", "ignore", "inherit"],
  });
  await query(`INSERT INTO "shopify_stores" ("shop", "name", "updatedAt") VALUES ($1, 'Outage', now())`, [SHOP]);
  app = await startChildApp({ DATABASE_URL: postgres.url });
  // 0.001: Shopify's 1, 2, 4 … 128-minute retries become 60 ms … 7.7 s (15 s in all).
  emulator = await startTestEmulator({ appUrl: app.url });
}, 90_000);

afterAll(async () => {
  await emulator?.close();
  if (app && app.child.exitCode === null) app.child.kill("SIGTERM");
  await app?.exited;
  postgres?.destroy();
});

async function send(n: number): Promise<void> {
  const response = await fetch(`${emulator.url}/__emulator/webhooks/send`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      shop: SHOP,
      topic: "products/update",
      // One product per delivery, so each is its own row and job.
      payload: sample.replaceAll("788032119674292922", String(788032119674292922n + BigInt(n))),
      uri: `${app.url}/webhooks/products/update`,
      webhookId: `outage-${n}`,
      bypassBehaviour: true,
    }),
  });
  expect(response.status).toBe(200);
}

const deliveries = () => emulator.webhooks.deliveries({ shop: SHOP });
const byId = (records: DeliveryRecord[], id: string) => records.find((record) => record.webhookId === id);

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("PostgreSQL stopped during deliveries", () => {
  it("answers 503 while it is down and stores every delivery exactly once after its retries", async () => {
    for (let n = 0; n < BEFORE; n += 1) await send(n);
    await emulator.webhooks.flush({ fastForward: true });
    expect(deliveries().every((record) => record.status === "delivered")).toBe(true);

    postgres.stopImmediately();
    for (let n = BEFORE; n < BEFORE + DURING; n += 1) await send(n);
    // Every delivery sent during the outage is tried (and refused) at least twice before the restart.
    await until(
      () =>
        Array.from({ length: DURING }, (_, i) => byId(deliveries(), `outage-${BEFORE + i}`)).every(
          (record) => (record?.attempts.length ?? 0) >= 2,
        ),
      "two attempts of every delivery during the outage",
    );
    const during = Array.from({ length: DURING }, (_, i) => byId(deliveries(), `outage-${BEFORE + i}`));
    const answers = during.flatMap((record) => record?.attempts.map((attempt) => attempt.status) ?? []);
    expect(answers.length).toBeGreaterThanOrEqual(2 * DURING);
    expect(new Set(answers)).toEqual(new Set([503]));

    postgres.start();
    // Shopify's next retries (fast-forwarded) arrive at a database that is back.
    await emulator.webhooks.flush({ fastForward: true });
    const settled = deliveries();
    expect(settled.filter((record) => record.status !== "delivered")).toEqual([]);
    expect(settled).toHaveLength(BEFORE + DURING);

    const rows = await query<{ webhookId: string; copies: number }>(
      `SELECT "webhookId", count(*)::int AS copies FROM "shopify_webhook_events" WHERE shop = $1 GROUP BY "webhookId"`,
      [SHOP],
    );
    expect(rows).toHaveLength(BEFORE + DURING);
    expect(rows.every((row) => row.copies === 1)).toBe(true);
    expect(new Set(rows.map((row) => row.webhookId))).toEqual(
      new Set(Array.from({ length: BEFORE + DURING }, (_, n) => `outage-${n}`)),
    );
  }, 60_000);
});
