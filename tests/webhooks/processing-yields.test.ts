// Processing a burst of deliveries must not hold the web process's event loop for the whole burst: on
// SQLite (the embedded worker, the default deployment) every query underneath processing's awaits runs
// synchronously, so a job that applied page after page without a turn of the loop kept ingest from
// reading any request until the burst was applied (hundreds of milliseconds in `npm run bench:webhooks`).
// Each page is applied in a turn of its own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { runUntilIdle, type TaskList } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { PROCESS_WEBHOOK_TASK } from "~/sync/tasks/webhooks/process.server";
import { storeDelivery, type VerifiedDelivery } from "~/webhooks/delivery-store.server";
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

describe("processing a burst of deliveries", () => {
  it("lets the event loop turn between pages, and applies every delivery", async () => {
    // Stored through ingest's store, a few at a time (all at once would be refused for waiting).
    for (let n = 0; n < DELIVERIES; n += 50) {
      const chunk = Array.from({ length: Math.min(50, DELIVERIES - n) }, (_, k) => productDelivery(n + k));
      const outcomes = await Promise.all(chunk.map((delivery) => storeDelivery(delivery)));
      expect(outcomes.every((outcome) => outcome === "stored")).toBe(true);
    }

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
    await runUntilIdle({
      tasks: { [PROCESS_WEBHOOK_TASK]: tasks[PROCESS_WEBHOOK_TASK] } as TaskList,
      onPermanentFailure,
    });
    counting = false;

    const statuses = await db.shopifyWebhookEvent.groupBy({
      by: ["status"],
      where: { storeId: store.id },
      _count: true,
    });
    expect(statuses.map((row) => [row.status, row._count])).toEqual([["processed", DELIVERIES]]);
    expect(await db.shopifyProduct.count({ where: { storeId: store.id } })).toBe(DELIVERIES);
    // At least one turn per page after the first (pages of at most 100 deliveries).
    expect(turns - started).toBeGreaterThanOrEqual(Math.ceil(DELIVERIES / 100) - 1);
  });
});
