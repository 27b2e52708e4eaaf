// Processing a burst of deliveries must not hold the web process's event loop for the whole burst: on
// SQLite (the embedded worker, the default deployment) every query underneath processing's awaits runs
// synchronously, so a job that applied page after page without a turn of the loop kept ingest from
// reading any request until the burst was applied (hundreds of milliseconds in `npm run bench:webhooks`).
// Each page is applied in a turn of its own, and each page is read from an index in arrival order
// rather than by sorting the store's whole backlog.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { sqliteConnection } from "~/db/sqlite-connection.server";
import { runUntilIdle, type TaskList } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { deliveriesPerPage, PROCESS_WEBHOOK_TASK } from "~/sync/tasks/webhooks/process.server";
import { storeDelivery, type VerifiedDelivery } from "~/webhooks/delivery-store.server";
import { isPostgres } from "../support/queue-harness";
import { installStore, type InstalledStore } from "../support/store";
import { webhookSample } from "../support/webhook-samples";

const SHOP = "processing-yields.myshopify.com";
const DELIVERIES = 450; // several pages of processing

let store: InstalledStore;

beforeAll(async () => {
  await db.shopifyStore.deleteMany({ where: { shop: SHOP } });
  store = await installStore(SHOP, { scopes: ["read_products"] });
});

afterAll(async () => {
  await db.shopifyWebhookEvent.deleteMany({ where: { shop: SHOP } });
  await db.shopifyStore.deleteMany({ where: { shop: SHOP } });
});

/** A products/update delivery for product `n` (its own id, so every delivery writes a row). */
function productDelivery(n: number): VerifiedDelivery {
  const sample = JSON.parse(webhookSample("products_update", SHOP)) as Record<string, unknown>;
  const id = 9_000_000 + n;
  const rawBody = JSON.stringify({
    ...sample,
    id,
    admin_graphql_api_id: `gid://shopify/Product/${id}`,
    title: `Product ${n}`,
    variants: [],
  });
  return {
    shop: SHOP,
    webhookId: `yields-${n}`,
    topic: "products/update",
    eventId: null,
    triggeredAt: new Date(),
    apiVersion: "2026-10",
    headers: {},
    rawBody,
    resourceId: String(id),
  };
}

/** Stores deliveries `from` … `to - 1` through ingest's store, a few at a time (all at once would be refused for waiting). */
async function storeDeliveries(from: number, to: number): Promise<void> {
  for (let n = from; n < to; n += 50) {
    const chunk = Array.from({ length: Math.min(50, to - n) }, (_, k) => productDelivery(n + k));
    const outcomes = await Promise.all(chunk.map((delivery) => storeDelivery(delivery)));
    expect(outcomes.every((outcome) => outcome === "stored")).toBe(true);
  }
}

const processPending = () =>
  runUntilIdle({ tasks: { [PROCESS_WEBHOOK_TASK]: tasks[PROCESS_WEBHOOK_TASK] } as TaskList, onPermanentFailure });

describe("processing a burst of deliveries", () => {
  // Declared first: the adapter's connection caches prepared statements, and the page queries must be
  // prepared (so seen here) while this test watches. SQLite only: its planner is deterministic, while
  // PostgreSQL's chooses by table statistics (the same query shape reads its index the same way).
  it.runIf(!isPostgres())(
    "reads each page from the index in arrival order, never sorting the whole backlog",
    async () => {
      const connection = sqliteConnection();
      if (!connection) throw new Error("the SQLite adapter's connection was not recorded");
      await storeDeliveries(DELIVERIES, DELIVERIES + 250); // the first page, and pages after a cursor

      const pageQueries = new Set<string>();
      const prepare = connection.prepare.bind(connection);
      connection.prepare = ((source: string) => {
        if (/FROM\s+[`"\w.]*shopify_webhook_events\b/i.test(source) && /ORDER BY/i.test(source))
          pageQueries.add(source);
        return prepare(source);
      }) as typeof connection.prepare;
      try {
        await processPending();
        expect(await db.shopifyWebhookEvent.count({ where: { storeId: store.id, status: "processed" } })).toBe(250);
      } finally {
        delete (connection as { prepare?: unknown }).prepare; // back to better-sqlite3's own
        // The next test counts only its own deliveries and products.
        await db.shopifyWebhookEvent.deleteMany({ where: { storeId: store.id } });
        await db.shopifyProduct.deleteMany({ where: { storeId: store.id } });
      }

      // The first page's query and the query after a cursor.
      expect(pageQueries.size).toBeGreaterThanOrEqual(2);
      for (const source of pageQueries) {
        const parameters = Array.from(source.matchAll(/\?/g), () => null); // the plan does not depend on them
        const plan = (
          connection.prepare(`EXPLAIN QUERY PLAN ${source}`).all(...parameters) as Array<{ detail: string }>
        ).map((step) => step.detail);
        // A range of the (storeId, status, receivedAt) index, read in order: at most deliveries with the
        // same receivedAt are sorted by id ("LAST TERM"/"RIGHT PART"). Before, the plan was a search on
        // (storeId, status) and "USE TEMP B-TREE FOR ORDER BY": every pending delivery sorted, per page.
        expect(plan.join(" | ")).toMatch(/USING INDEX \w*storeId_status_receivedAt\w* \(storeId=\? AND status=\?/);
        expect(plan.join(" | ")).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
      }
    },
  );

  it("lets the event loop turn between pages, and applies every delivery", async () => {
    await storeDeliveries(0, DELIVERIES);

    // Turns of the event loop while processing runs: a chain of setImmediate callbacks, one per turn.
    let turns = 0;
    let counting = true;
    const countTurn = () => {
      if (!counting) return;
      turns += 1;
      setImmediate(countTurn);
    };
    setImmediate(countTurn);
    const started = turns;
    await processPending();
    counting = false;

    const statuses = await db.shopifyWebhookEvent.groupBy({
      by: ["status"],
      where: { storeId: store.id },
      _count: true,
    });
    expect(statuses.map((row) => [row.status, row._count])).toEqual([["processed", DELIVERIES]]);
    expect(await db.shopifyProduct.count({ where: { storeId: store.id } })).toBe(DELIVERIES);
    // At least one turn per page after the first.
    expect(turns - started).toBeGreaterThanOrEqual(Math.ceil(DELIVERIES / deliveriesPerPage()) - 1);
  });
});
