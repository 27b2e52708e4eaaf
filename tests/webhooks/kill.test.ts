// Promise 3: `kill -9` of the app under load loses nothing it answered 200 for. The app's webhook routes
// run in a child process on this file's database; many signed deliveries go in concurrently, the
// process is SIGKILLed mid-way, and every delivery that got a 200 must be on disk, byte for byte, with
// its processing job (ingest writes both in one transaction).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startChildApp, type ChildApp } from "./support/child-app";
import { drainQueue, postDelivery } from "./support/webhooks";

const SHOP = "killed.myshopify.com";
const DELIVERIES = 600;
const CONCURRENCY = 24;
const KILL_AFTER = 150; // answers seen before the kill: well inside the run
const sample = readFileSync(
  "tools/shopify-emulator/test-fixtures/webhook-samples/inventory_levels_update.json",
  "utf8",
);

let app: ChildApp;

beforeAll(async () => {
  await db.shopifyStore.create({ data: { shop: SHOP, name: "Killed", currencyCode: "USD" } });
  app = await startChildApp({ DATABASE_URL: process.env.DATABASE_URL as string });
});

afterAll(async () => {
  if (app && app.child.exitCode === null && app.child.signalCode === null) app.child.kill("SIGKILL");
  await app?.exited;
});

/** One inventory level per delivery (distinct items), so each delivery is its own row and job. */
function body(n: number): string {
  const item = 271878346596884015n + BigInt(n);
  return sample.replaceAll("271878346596884015", String(item)).replace(/"available":\s*\d+/, `"available": ${n % 50}`);
}

describe("kill -9 under load", () => {
  it("every delivery answered 200 before the kill is stored, with its job", async () => {
    const statuses = new Map<string, number | "error">();
    let answered = 0;
    let next = 0;
    const killed = { done: false };
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < DELIVERIES) {
          const n = next++;
          const webhookId = `kill-${n}`;
          try {
            const status = await postDelivery(app.url, {
              shop: SHOP,
              topic: "inventory_levels/update",
              body: body(n),
              webhookId,
            });
            statuses.set(webhookId, status);
          } catch {
            statuses.set(webhookId, "error"); // connection reset or refused: the process is gone
          }
          answered += 1;
          if (answered >= KILL_AFTER && !killed.done) {
            killed.done = true;
            process.kill(app.child.pid as number, "SIGKILL");
          }
        }
      }),
    );
    await app.exited;
    expect(app.child.signalCode).toBe("SIGKILL");

    const ok = [...statuses].filter(([, status]) => status === 200).map(([id]) => id);
    const notOk = [...statuses].filter(([, status]) => status !== 200);
    // The kill really landed mid-run: some answered, some cut off.
    expect(ok.length).toBeGreaterThanOrEqual(KILL_AFTER - CONCURRENCY);
    expect(notOk.length).toBeGreaterThan(0);
    // Nothing but 200 before the kill, nothing but connection errors after it.
    expect(notOk.every(([, status]) => status === "error")).toBe(true);

    const rows = await db.shopifyWebhookEvent.findMany({
      where: { shop: SHOP },
      select: { webhookId: true, rawBody: true },
    });
    const stored = new Map(rows.map((row) => [row.webhookId, row.rawBody]));
    const lost = ok.filter((id) => stored.get(id) !== body(Number(id.slice("kill-".length))));
    expect(lost).toEqual([]);

    // Every stored delivery (also those committed but cut off before their 200) has its job.
    await drainQueue();
    const pending = await db.shopifyWebhookEvent.count({ where: { shop: SHOP, status: { not: "processed" } } });
    expect(pending).toBe(0);
    expect(await db.shopifyInventoryLevel.count({ where: { store: { shop: SHOP } } })).toBe(rows.length);
  });
});
