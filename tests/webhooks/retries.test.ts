// Failures while processing: a delivery the database refuses is retried with the store's job, its
// attempts counted; after the last attempt it is dead with its error; the other deliveries of the same
// batch are applied meanwhile; replaying the dead one, once the cause is gone, applies it. The failure
// is a real one: a trigger in the test's own database that refuses one product's row.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProvider, db } from "~/db.server";
import { runUntilIdle } from "~/sync/queue/queue.server";
import { onPermanentFailure, tasks } from "~/sync/tasks/index.server";
import { MAX_DELIVERY_ATTEMPTS } from "~/sync/tasks/webhooks/process.server";
import { replayDeadWebhookEvents } from "~/webhooks/replay.server";
import { startAppServer, type AppServer } from "../support/app-http";
import { retriesDueNow } from "../support/queue-jobs";
import { postDelivery } from "./support/webhooks";

const SHOP = "retries.myshopify.com";
const sample = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/products_update.json", "utf8");
const SAMPLE_ID = "788032119674292922";
const product = (id: bigint) => sample.replaceAll(SAMPLE_ID, String(id));
const REFUSED = 788032119674292922n + 66n;
const ACCEPTED = 788032119674292922n + 67n;

let app: AppServer;
let storeId: number;

async function refuseProduct(shopifyId: string): Promise<void> {
  if (databaseProvider() === "postgresql") {
    await db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_product() RETURNS trigger AS $$
      BEGIN
        IF NEW."shopifyId" = '${shopifyId}' THEN RAISE EXCEPTION 'injected failure: product refused'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_product BEFORE INSERT OR UPDATE ON "shopify_products"
      FOR EACH ROW EXECUTE FUNCTION refuse_product()`);
    return;
  }
  await db.$executeRawUnsafe(`
    CREATE TRIGGER refuse_product BEFORE INSERT ON "shopify_products"
    WHEN NEW."shopifyId" = '${shopifyId}'
    BEGIN SELECT RAISE(ABORT, 'injected failure: product refused'); END`);
}

async function acceptProducts(): Promise<void> {
  await db.$executeRawUnsafe(
    databaseProvider() === "postgresql"
      ? `DROP TRIGGER refuse_product ON "shopify_products"`
      : `DROP TRIGGER refuse_product`,
  );
}

/** Runs the store's job, retry after retry, until the refused delivery is dead. */
async function processUntilDead(webhookId: string): Promise<void> {
  for (let runs = 1; runs <= MAX_DELIVERY_ATTEMPTS * 3; runs += 1) {
    await retriesDueNow();
    await runUntilIdle({ tasks, onPermanentFailure });
    const event = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId } });
    if (event.status === "dead") return;
  }
  throw new Error("the refused delivery never became dead");
}

beforeAll(async () => {
  app = await startAppServer();
  storeId = (await db.shopifyStore.create({ data: { shop: SHOP, name: "Retries", currencyCode: "USD" } })).id;
});

afterAll(async () => {
  await app?.close();
});

describe("processing failures", () => {
  it("retries a refused delivery with its attempts counted, dead-letters it after the last, and replays it", async () => {
    await refuseProduct(`gid://shopify/Product/${REFUSED}`);
    expect(
      await postDelivery(app.url, { shop: SHOP, topic: "products/update", body: product(REFUSED), webhookId: "r-1" }),
    ).toBe(200);
    expect(
      await postDelivery(app.url, { shop: SHOP, topic: "products/update", body: product(ACCEPTED), webhookId: "r-2" }),
    ).toBe(200);

    // The first run: the batch fails, each delivery is then applied alone; the other one lands.
    await runUntilIdle({ tasks, onPermanentFailure });
    const afterFirst = await db.shopifyWebhookEvent.findMany({ where: { storeId }, orderBy: { webhookId: "asc" } });
    expect(afterFirst.map((event) => [event.webhookId, event.status, event.attempts])).toEqual([
      ["r-1", "failed", 1],
      ["r-2", "processed", 0],
    ]);
    expect(afterFirst[0]?.lastError).toMatch(/injected failure/);
    expect(await db.shopifyProduct.count({ where: { storeId, shopifyId: `gid://shopify/Product/${ACCEPTED}` } })).toBe(
      1,
    );
    // The store's job waits for its retry (backoff), it is not lost.
    const queued = await db.$queryRawUnsafe<Array<{ n: bigint | number }>>(
      databaseProvider() === "postgresql"
        ? `SELECT count(*) AS n FROM graphile_worker.jobs WHERE task_identifier = 'webhooks/process' AND run_at > now()`
        : `SELECT count(*) AS n FROM job_queue WHERE taskIdentifier = 'webhooks/process' AND runAt > '${new Date().toISOString()}'`,
    );
    expect(Number(queued[0]?.n)).toBe(1);

    // Retried until its last attempt, then dead, with its error and every status change kept.
    await processUntilDead("r-1");
    const dead = await db.shopifyWebhookEvent.findFirstOrThrow({
      where: { webhookId: "r-1" },
      include: { transitions: { orderBy: { id: "asc" } } },
    });
    expect(dead.status).toBe("dead");
    expect(dead.attempts).toBe(MAX_DELIVERY_ATTEMPTS);
    expect(dead.lastError).toMatch(/injected failure/);
    expect(dead.transitions.map((t) => t.toStatus)).toEqual([
      ...Array<string>(MAX_DELIVERY_ATTEMPTS - 1).fill("failed"),
      "dead",
    ]);
    expect(await db.shopifyProduct.count({ where: { storeId, shopifyId: `gid://shopify/Product/${REFUSED}` } })).toBe(
      0,
    );

    // The cause is fixed; the merchant replays the store's dead deliveries.
    await acceptProducts();
    expect(await replayDeadWebhookEvents(storeId)).toBe(1);
    await runUntilIdle({ tasks, onPermanentFailure });
    const replayed = await db.shopifyWebhookEvent.findFirstOrThrow({
      where: { webhookId: "r-1" },
      include: { transitions: { orderBy: { id: "asc" } } },
    });
    expect(replayed.status).toBe("processed");
    expect(replayed.transitions.slice(-2).map((t) => [t.fromStatus, t.toStatus, t.error])).toEqual([
      ["dead", "received", "replayed"],
      ["received", "processed", null],
    ]);
    expect(await db.shopifyProduct.count({ where: { storeId, shopifyId: `gid://shopify/Product/${REFUSED}` } })).toBe(
      1,
    );
  });
});
