// Writes verified webhook deliveries to shopify_webhook_events with group commit: deliveries that
// arrive while a transaction is being committed wait for it, then go to disk together in the next
// one. A commit is the expensive part of an ingest (a disk flush, and Prisma's per-statement work), so
// under a burst one commit serves dozens of deliveries, and with one delivery in flight it is written
// at once — nothing waits for a timer. Every caller still learns only after *its* row committed, so
// "200 only once the row is durable" holds (docs/decisions/0012-webhook-throughput.md).
//
// The queue of deliveries waiting for a commit is bounded (docs/decisions/0028-ingest-overload-stalls-shutdown.md):
// by size (MAX_WAITING: a full queue refuses at once), by age (a delivery that waited MAX_WAIT_MS is
// refused), and by commit time (a commit still running after COMMIT_TIMEOUT_MS gets its deliveries
// refused). A refusal is a 503 that Shopify retries. A refused delivery whose commit still lands later is
// on disk, and its retry is answered 200 as a duplicate (the (shop, webhookId) key); nothing is ever
// answered 200 before its commit.
//
// Why hand-written: group commit has to share our Prisma transaction (the row and its processing
// job commit together) and our SQL (ON CONFLICT per delivery); no library batches that.
import { randomUUID } from "node:crypto";
import { Prisma } from "@prisma/client";
import { databaseProvider, db } from "~/db.server";
import { sqliteWriter, type SqliteConnection } from "~/db/sqlite-connection.server";
import { recordIngestBatch } from "~/observability/metrics.server";
import { knownStoreIds } from "~/stores/install.server";
import { wakeWorkers } from "~/sync/queue/queue.server";
import { enqueueProcessing } from "~/sync/tasks/webhooks/process.server";

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
/** Deliveries waiting for a commit; one more is refused at once. About 2 s of the most we acknowledge. */
export const MAX_WAITING = 2000;
/** A delivery that waited this long for its commit to start is refused: its answer would come late. */
export const MAX_WAIT_MS = 1000;
/**
 * A commit still running after this long gets its deliveries refused (a stalled database). With the
 * wait above, no delivery is answered later than about 3 s, inside Shopify's 5 s.
 */
export const COMMIT_TIMEOUT_MS = 2000;

/** Why a delivery was refused with 503 (the label of shop_sync_webhook_refusals_total). */
export type RefusalReason =
  "queue_full" | "queue_wait" | "commit_timeout" | "in_flight" | "event_loop_lag" | "shutting_down" | "database";

/** A delivery ingest could not put on disk in time; answered 503 with Retry-After, so Shopify retries. */
export class IngestUnavailable extends Error {
  constructor(
    readonly reason: RefusalReason,
    options?: { cause?: unknown },
  ) {
    super(`ingest unavailable: ${reason}`, options);
    this.name = "IngestUnavailable";
  }
}

interface Waiting {
  delivery: VerifiedDelivery;
  enqueuedAt: number;
  settled: boolean;
  resolve: (outcome: StoreOutcome) => void;
  reject: (error: unknown) => void;
}

let waiting: Waiting[] = [];
let writing: Promise<void> | null = null;
/** Body bytes held by deliveries waiting or being written (released when their commit settles). */
let heldBytes = 0;
let sweeper: NodeJS.Timeout | null = null;

const settle = (entry: Waiting, outcome: { ok: StoreOutcome } | { error: unknown }) => {
  if (entry.settled) return;
  entry.settled = true;
  if ("ok" in outcome) entry.resolve(outcome.ok);
  else entry.reject(outcome.error);
};

/** Body bytes ingest holds in memory for deliveries not answered or not committed yet. */
export function heldDeliveryBytes(): number {
  return heldBytes;
}

/** Deliveries waiting for a commit (the queue, not counting the batch being committed). */
export function waitingDeliveries(): number {
  return waiting.length;
}

/**
 * Resolves once the delivery's row (and its processing job) committed; rejects with IngestUnavailable
 * when the queue is full, the delivery waited too long or its commit did not finish in time, or with
 * the database's error.
 */
export function storeDelivery(delivery: VerifiedDelivery): Promise<StoreOutcome> {
  if (waiting.length >= MAX_WAITING) return Promise.reject(new IngestUnavailable("queue_full"));
  return new Promise((resolve, reject) => {
    waiting.push({ delivery, enqueuedAt: performance.now(), settled: false, resolve, reject });
    heldBytes += delivery.rawBody.length;
    sweeper ??= setInterval(refuseStale, 100).unref();
    writing ??= new Promise<void>((started) => setImmediate(started)).then(writeWaiting);
  });
}

/** Resolves when every delivery handed to storeDelivery so far has been committed or refused. */
export async function storeIdle(): Promise<void> {
  while (writing) await writing;
}

/** Refuses deliveries that waited MAX_WAIT_MS (the writer may be stuck on a stalled commit). */
function refuseStale(): void {
  const oldest = performance.now() - MAX_WAIT_MS;
  if (waiting.length > 0 && (waiting[0] as Waiting).enqueuedAt <= oldest) {
    const stale = waiting.filter((entry) => entry.enqueuedAt <= oldest);
    waiting = waiting.filter((entry) => entry.enqueuedAt > oldest);
    for (const entry of stale) {
      heldBytes -= entry.delivery.rawBody.length;
      settle(entry, { error: new IngestUnavailable("queue_wait") });
    }
  }
  if (waiting.length === 0 && !writing && sweeper) {
    clearInterval(sweeper);
    sweeper = null;
  }
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
      refuseStale();
      const batch = waiting.slice(0, MAX_BATCH);
      waiting = waiting.slice(batch.length);
      if (batch.length === 0) break;
      try {
        await writeWithDeadline(batch);
      } finally {
        for (const entry of batch) heldBytes -= entry.delivery.rawBody.length;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
  } finally {
    writing = null;
  }
}

/** The batch's commit; its deliveries are refused if it has not finished after COMMIT_TIMEOUT_MS. */
async function writeWithDeadline(batch: Waiting[]): Promise<void> {
  const deadline = setTimeout(() => {
    for (const entry of batch) settle(entry, { error: new IngestUnavailable("commit_timeout") });
  }, COMMIT_TIMEOUT_MS);
  try {
    await writeOrSplit(batch);
  } finally {
    clearTimeout(deadline);
  }
}

/**
 * One transaction for the batch. If it fails, each delivery still waiting for its answer is tried
 * alone, so one delivery the database refuses (say, a byte PostgreSQL cannot store in text) fails alone
 * and the others are answered 200; when the database is down each fails again, quickly, and is answered
 * 503. A delivery already refused (its commit timed out) is not tried again: Shopify will retry it.
 */
async function writeOrSplit(batch: Waiting[]): Promise<void> {
  try {
    const { outcomes, processingAt } = await writeBatch(batch.map((entry) => entry.delivery));
    recordIngestBatch(batch.length);
    batch.forEach((entry, index) => settle(entry, { ok: outcomes[index] as StoreOutcome }));
    if (processingAt) wakeWorkers(processingAt);
  } catch (error) {
    const open = batch.filter((entry) => !entry.settled);
    if (batch.length === 1 || open.length === 0) {
      for (const entry of open) settle(entry, { error });
      return;
    }
    for (const entry of open) await writeOrSplit([entry]);
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
    const writer = sqliteWriter(tx);
    const inserted =
      "sqlite" in writer
        ? insertPrepared(writer.sqlite, rows, now)
        : new Set(
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

type DeliveryRow = { id: string; storeId: number | null; delivery: VerifiedDelivery };

const INSERT_COLUMNS = `("id", "storeId", "shop", "webhookId", "topic", "resourceId", "eventId", "triggeredAt",
  "apiVersion", "headers", "rawBody", "status", "lastError", "receivedAt")`;

const preparedInserts = new WeakMap<SqliteConnection, ReturnType<SqliteConnection["prepare"]>>();

/**
 * SQLite: one prepared statement run per row, on the connection of the open Prisma transaction
 * (app/db/sqlite-connection.server.ts). Prisma's raw query would serialize every bound value through
 * its query compiler and have SQLite compile a new multi-row statement per batch size; this is the
 * driver's fastest path. Values are bound as the Prisma adapter binds them (dates as ISO-8601 with
 * "+00:00", JSON as text), so rows read back alike. Returns the ids of the rows inserted.
 */
function insertPrepared(connection: SqliteConnection, rows: readonly DeliveryRow[], receivedAt: Date): Set<string> {
  let statement = preparedInserts.get(connection);
  if (!statement) {
    statement = connection.prepare(
      `INSERT INTO "shopify_webhook_events" ${INSERT_COLUMNS} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT ("shop", "webhookId") DO NOTHING`,
    );
    preparedInserts.set(connection, statement);
  }
  const iso = (date: Date | null) => (date ? date.toISOString().replace("Z", "+00:00") : null);
  const received = iso(receivedAt);
  const inserted = new Set<string>();
  for (const { id, storeId, delivery } of rows) {
    const ignored = storeId === null;
    const { changes } = statement.run([
      id,
      storeId,
      delivery.shop,
      delivery.webhookId,
      delivery.topic,
      delivery.resourceId,
      delivery.eventId,
      iso(delivery.triggeredAt),
      delivery.apiVersion,
      JSON.stringify(delivery.headers),
      delivery.rawBody,
      ignored ? "ignored" : "received",
      ignored ? "no store for this shop (not installed)" : null,
      received,
    ]);
    if (changes > 0) inserted.add(id);
  }
  return inserted;
}

function insertIgnoringDuplicates(rows: readonly DeliveryRow[], receivedAt: Date): Prisma.Sql {
  const json = databaseProvider() === "postgresql" ? Prisma.raw("::jsonb") : Prisma.empty;
  const values = rows.map(({ id, storeId, delivery }) => {
    const ignored = storeId === null;
    return Prisma.sql`(${id}, ${storeId}, ${delivery.shop}, ${delivery.webhookId}, ${delivery.topic},
      ${delivery.resourceId}, ${delivery.eventId}, ${delivery.triggeredAt}, ${delivery.apiVersion},
      ${JSON.stringify(delivery.headers)}${json}, ${delivery.rawBody}, ${ignored ? "ignored" : "received"},
      ${ignored ? "no store for this shop (not installed)" : null}, ${receivedAt})`;
  });
  return Prisma.sql`
    INSERT INTO "shopify_webhook_events" ${Prisma.raw(INSERT_COLUMNS)}
    VALUES ${Prisma.join(values)}
    ON CONFLICT ("shop", "webhookId") DO NOTHING
    RETURNING "id"`;
}
