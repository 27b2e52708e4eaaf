// Writes verified webhook deliveries to shopify_webhook_events with group commit: deliveries that
// arrive while a transaction is being committed wait for it, then go to disk together in the next
// one. A commit is the expensive part of an ingest (a disk flush, and Prisma's per-statement work), so
// under a burst one commit serves dozens of deliveries, and with one delivery in flight it is written
// at once — nothing waits for a timer. Every caller still learns only after *its* row committed, so
// "200 only once the row is durable" holds (docs/decisions/0012-webhook-throughput.md).
//
// Why hand-written: group commit has to share our Prisma transaction (the row and its processing
// job commit together) and our SQL (ON CONFLICT per delivery); no library batches that.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { databaseProvider, db } from "~/db.server";
import { recordIngestBatch } from "~/observability/metrics.server";
import { knownStoreIds } from "~/stores/install.server";
import { wakeWorkers } from "~/sync/queue.server";
import { enqueueProcessing } from "./events.server";

export interface VerifiedDelivery {
  shop: string;
  webhookId: string;
  topic: string;
  eventId: string | null;
  triggeredAt: Date | null;
  apiVersion: string | null;
  headers: Record<string, string>;
  rawBody: string;
  resourceId: string | null;
}

/**
 * stored: new, for an installed shop (one with a store row or an offline session); ignored: new, for
 * a shop we do not know; duplicate: seen before.
 */
export type StoreOutcome = "stored" | "ignored" | "duplicate";

/** Deliveries per transaction: bounds a statement's bound values (14 per row) and a commit's size. */
const MAX_BATCH = 200;

interface Waiting {
  delivery: VerifiedDelivery;
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: unknown) => void;
}

let waiting: Waiting[] = [];
let writing = false;

/** Resolves once the delivery's row (and its processing job) committed; rejects if it did not. */
export function storeDelivery(delivery: VerifiedDelivery): Promise<StoreOutcome> {
  return new Promise((resolve, reject) => {
    waiting.push({ delivery, resolve, reject });
    if (!writing) {
      writing = true;
      setImmediate(() => void writeWaiting());
    }
  });
}

/**
 * Writes what waits, batch after batch, until nothing does. Each batch starts from setImmediate: on
 * SQLite a transaction runs synchronously underneath its promises (better-sqlite3), so without a turn
 * of the event loop no other request could reach the queue while one is written, and every batch
 * would hold one delivery. setImmediate runs after the loop has read every request that is ready.
 */
async function writeWaiting(): Promise<void> {
  try {
    while (waiting.length > 0) {
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      await writeOrSplit(batch);
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    writing = false;
  }
}

/**
 * One transaction for the batch. If it fails, each delivery is tried alone, so one delivery the
 * database refuses (say, a byte PostgreSQL cannot store in text) fails alone and the others are
 * answered 200; when the database is down each fails again, quickly, and is answered 503.
 */
async function writeOrSplit(batch: Waiting[]): Promise<void> {
  try {
    const { outcomes, processingAt } = await writeBatch(batch.map((entry) => entry.delivery));
    recordIngestBatch(batch.length);
    batch.forEach((entry, index) => entry.resolve(outcomes[index] as StoreOutcome));
    if (processingAt) wakeWorkers(processingAt);
  } catch (error) {
    if (batch.length === 1) {
      batch[0]?.reject(error);
      return;
    }
    for (const entry of batch) await writeOrSplit([entry]);
  }
}

async function writeBatch(
  deliveries: readonly VerifiedDelivery[],
): Promise<{ outcomes: StoreOutcome[]; processingAt: Date | null }> {
  return db.$transaction(async (tx) => {
    const shops = [...new Set(deliveries.map((delivery) => delivery.shop))];
    const stores = await knownStoreIds(tx, shops);
    // A delivery repeated inside the batch is a duplicate of its first copy (ON CONFLICT cannot see
    // rows of its own statement on PostgreSQL).
    const firstCopy = new Map<string, number>();
    deliveries.forEach((delivery, index) => {
      const key = `${delivery.shop}\n${delivery.webhookId}`;
      if (!firstCopy.has(key)) firstCopy.set(key, index);
    });
    const now = new Date();
    const rows = [...firstCopy.values()].map((index) => {
      const delivery = deliveries[index] as VerifiedDelivery;
      return { index, id: randomUUID(), storeId: stores.get(delivery.shop) ?? null, delivery };
    });
    const inserted = new Set(
      (await tx.$queryRaw<Array<{ id: string }>>(insertIgnoringDuplicates(rows, now))).map((row) => row.id),
    );

    const outcomes: StoreOutcome[] = deliveries.map(() => "duplicate");
    const storesToProcess = new Map<number, string>();
    for (const row of rows) {
      if (!inserted.has(row.id)) continue;
      outcomes[row.index] = row.storeId === null ? "ignored" : "stored";
      if (row.storeId !== null) storesToProcess.set(row.storeId, row.delivery.shop);
    }
    let processingAt: Date | null = null;
    for (const [storeId, shop] of storesToProcess) processingAt = await enqueueProcessing(tx, { storeId, shop });
    return { outcomes, processingAt };
  });
}

function insertIgnoringDuplicates(
  rows: ReadonlyArray<{ id: string; storeId: number | null; delivery: VerifiedDelivery }>,
  receivedAt: Date,
): Prisma.Sql {
  const json = databaseProvider() === "postgresql" ? Prisma.raw("::jsonb") : Prisma.empty;
  const values = rows.map(({ id, storeId, delivery }) => {
    const ignored = storeId === null;
    return Prisma.sql`(${id}, ${storeId}, ${delivery.shop}, ${delivery.webhookId}, ${delivery.topic},
      ${delivery.resourceId}, ${delivery.eventId}, ${delivery.triggeredAt}, ${delivery.apiVersion},
      ${JSON.stringify(delivery.headers)}${json}, ${delivery.rawBody}, ${ignored ? "ignored" : "received"},
      ${ignored ? "no store for this shop (not installed)" : null}, ${receivedAt})`;
  });
  return Prisma.sql`
    INSERT INTO "shopify_webhook_events"
      ("id", "storeId", "shop", "webhookId", "topic", "resourceId", "eventId", "triggeredAt", "apiVersion",
       "headers", "rawBody", "status", "lastError", "receivedAt")
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("shop", "webhookId") DO NOTHING
    RETURNING "id"`;
}
