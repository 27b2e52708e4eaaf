// Task "webhooks/process": applies a store's stored webhook deliveries (app/webhooks/ingest.server.ts
// wrote them, and enqueued this job with enqueueProcessing, under one key per store, so a burst is one
// job). The job pages
// through the store's pending deliveries in arrival order:
// - runs of sync-topic deliveries (products, orders, inventory) are applied together, in one
//   transaction with their status changes (writeWebhookRows, app/sync/writer): a crash leaves them pending, never
//   half-applied;
// - if that transaction fails, each delivery of the run is applied alone, so one delivery that cannot
//   apply fails alone;
// - lifecycle, compliance and bulk-operation deliveries are applied one at a time, in order.
// A delivery that fails is marked failed (its attempts counted) and the job fails at the end, so the
// queue retries it with backoff; after MAX_DELIVERY_ATTEMPTS the delivery is dead (replayable). A
// delivery that can never apply (a payload we cannot map) is dead at once. app/uninstalled fails the
// same way while Shopify cannot confirm it (docs/decisions/0039-confirm-uninstall-with-shopify.md).
import { setImmediate as nextEventLoopTurn } from "node:timers/promises";
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { databaseProvider, db } from "~/db.server";
import { env } from "~/env.server";
import { errorMessage } from "~/lib/errors";
import { logger } from "~/observability/logger.server";
import { recordDeadLetter, recordProcessed } from "~/observability/metrics.server";
import { securityEvent } from "~/observability/security.server";
import { finishInstallForProcessing } from "~/stores/install.server";
import { configuredCustomerData } from "~/sync/customer-data.server";
import { syncsOrders } from "~/sync/engine/customer-data";
import {
  fromWebhook,
  MAPPED_TOPICS,
  parseWebhookBody,
  type MappedTopic,
  type WebhookRows,
} from "~/sync/engine/from-webhook";
import { ShopifyInputError } from "~/sync/engine/input";
import { enqueue, jobKey, shopQueue, UnrecoverableJobError, type JobInfo } from "~/sync/queue/queue.server";
import { onBulkOperationFinished } from "~/sync/triggers.server";
import { writeWebhookRows } from "~/sync/writer/webhook-batch.server";
import {
  handleCustomerDataRequest,
  handleCustomerRedact,
  handleShopRedact,
} from "~/webhooks/handlers/compliance.server";
import { WebhookPayloadError, type RefusedByState, type WebhookContext } from "~/webhooks/handlers/context";
import { handleAppUninstalled, handleScopesUpdate } from "~/webhooks/handlers/lifecycle.server";
import { transition, transitionMany } from "~/webhooks/deliveries.server";
import type { ShopTask, ShopTaskHelpers } from "../shop-task.server";

export const PROCESS_WEBHOOK_TASK = "webhooks/process";

/**
 * A job processes every pending delivery of one store. Older payloads (one event; one resource of a
 * store) may still be queued from before a deploy: they are read as "that store".
 */
export const processWebhookPayload = z.union([
  z.object({ storeId: z.number().int().positive() }),
  z.object({ eventId: z.string().min(1) }),
]);
export type ProcessWebhookPayload = z.infer<typeof processWebhookPayload>;

/**
 * app/uninstalled asks Shopify whether the app is still installed (app/webhooks/handlers/lifecycle.server.ts).
 * One retry inside the call rides out a blip; a longer outage is the delivery's to retry (it fails,
 * and the store's job retries it with backoff), rather than holding the store's queue for the
 * client's default budget of six attempts over about 15 s.
 */
const CONFIRM_UNINSTALL_RETRY = { maxAttempts: 2 };

/** After this many failed attempts a delivery is dead-lettered (replay brings it back). */
export const MAX_DELIVERY_ATTEMPTS = 10;

// How long a store's first pending delivery waits for others before its job runs
// (WEBHOOK_BATCH_WINDOW_MS, default 250 ms). Processing one delivery costs about what processing a
// hundred together does (a transaction, a few statements), so under a burst a job that ran at once
// for every delivery would spend the CPU that ingest needs and fall behind; a quarter second turns a
// flash sale's stream into a few batches a second, well inside the one second of processing lag we
// aim for.

/**
 * Queues processing of a store's pending deliveries (in the caller's transaction), to run within
 * WEBHOOK_BATCH_WINDOW_MS. One job key per store, preserving its run time: every delivery that
 * arrives while the job waits is picked up by it (and does not push it later), so a burst — for one
 * resource or many — is one job, which applies the deliveries in batches
 * (app/sync/tasks/webhooks/process.server.ts). The store's queue runs it after the store's other work
 * (a full sync), never beside it. Returns when the job runs, to wake the worker then.
 */
export async function enqueueProcessing(
  tx: Prisma.TransactionClient,
  store: { storeId: number; shop: string },
): Promise<Date> {
  const runAt = new Date(Date.now() + env().WEBHOOK_BATCH_WINDOW_MS);
  await enqueue(
    PROCESS_WEBHOOK_TASK,
    { storeId: store.storeId } satisfies ProcessWebhookPayload,
    {
      queueName: shopQueue(store.shop),
      jobKey: jobKey(PROCESS_WEBHOOK_TASK, store.storeId),
      jobKeyMode: "preserve_run_at",
      runAt,
      shop: store.shop,
      maxAttempts: MAX_DELIVERY_ATTEMPTS,
    },
    tx,
  );
  return runAt;
}

const bulkFinishPayload = z.object({ admin_graphql_api_id: z.string() });

const isMapped = (topic: string): topic is MappedTopic => (MAPPED_TOPICS as readonly string[]).includes(topic);

/**
 * The rows a delivery of a sync topic maps to (app/sync/engine: the same engine as the sync); a payload
 * that cannot map is a WebhookPayloadError.
 */
function mapSyncTopic(topic: MappedTopic, { payload, triggeredAt, receivedAt }: WebhookContext): WebhookRows {
  try {
    return fromWebhook(topic, payload, { triggeredAt: triggeredAt ?? receivedAt }, configuredCustomerData());
  } catch (error) {
    // The mapper is pure (no I/O): whatever it throws on this payload it throws on every retry.
    throw new WebhookPayloadError(errorMessage(error), { cause: error });
  }
}

/**
 * Deliveries read (and applied) per page. On SQLite a page's queries run synchronously, in the event
 * loop of the process that runs them, which by default also serves ingest (the embedded worker); and
 * under load every turn of that loop also handles the requests that arrived during the previous one,
 * so a page's time is multiplied: a page of 100 (about 40 ms) made turns of about 90 ms at twice
 * ingest's capacity, a page of 25 about 45 ms, and new connections are accepted only between turns
 * (docs/decisions/0045-short-processing-pages-many-accept-sockets.md). PostgreSQL's queries wait on
 * the network, not the loop, and every page costs round trips, so its pages stay at 100.
 */
export const deliveriesPerPage = (): number => (databaseProvider() === "sqlite" ? 25 : 100);

const EVENT_FIELDS = {
  id: true,
  shop: true,
  webhookId: true,
  topic: true,
  status: true,
  attempts: true,
  lastError: true,
  rawBody: true,
  triggeredAt: true,
  receivedAt: true,
} as const;

type StoredEvent = NonNullable<Awaited<ReturnType<typeof pendingPage>>>[number];
type Store = { id: number; shop: string; status: string };

/** Statuses a job applies: new deliveries, and failed ones it retries. */
const PENDING_STATUSES = ["received", "failed"] as const;

const byArrival = (a: { receivedAt: Date; id: string }, b: { receivedAt: Date; id: string }) =>
  a.receivedAt.getTime() - b.receivedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The next page of pending deliveries of a store after `after`, in arrival order. One query per
 * status, merged here: each is a range of the (storeId, status, receivedAt) index read in order and
 * stopped at a page's rows. A single query with `status IN (…)` (or an OR in the cursor) cannot be
 * read from the index in order, so the database sorted every pending delivery of the store, bodies
 * included, for each page: under a backlog of tens of thousands (a flash sale) that was most of the web
 * process's CPU (`npm run bench:webhooks -- --cpu-prof`) and turns of its event loop long enough to
 * delay ingest's answers (tests/webhooks/processing-yields.test.ts reads the query plans).
 */
async function pendingPage(storeId: number, after: { receivedAt: Date; id: string } | null) {
  const pageSize = deliveriesPerPage();
  const cursor = after
    ? {
        receivedAt: { gte: after.receivedAt },
        OR: [{ receivedAt: { gt: after.receivedAt } }, { id: { gt: after.id } }],
      }
    : {};
  const pages = await Promise.all(
    PENDING_STATUSES.map((status) =>
      db.shopifyWebhookEvent.findMany({
        where: { storeId, status, ...cursor },
        select: EVENT_FIELDS,
        orderBy: [{ receivedAt: "asc" }, { id: "asc" }],
        take: pageSize,
      }),
    ),
  );
  return pages.flat().sort(byArrival).slice(0, pageSize);
}

const findStore = (storeId: number): Promise<Store | null> =>
  db.shopifyStore.findUnique({ where: { id: storeId }, select: { id: true, shop: true, status: true } });

/** After uninstall nothing is synced; compliance requests are still honoured. */
const skippedWhenUninstalled = (store: Store, topic: string) =>
  store.status !== "active" && !topic.startsWith("shop/") && !topic.startsWith("customers/");

function contextOf(event: StoredEvent, store: Store): WebhookContext {
  return {
    store: { id: store.id, shop: store.shop },
    eventId: event.id,
    topic: event.topic,
    payload: parseWebhookBody(event.rawBody),
    triggeredAt: event.triggeredAt,
    receivedAt: event.receivedAt,
  };
}

const logFor = (event: StoredEvent, job: JobInfo) =>
  logger.child({ shop: event.shop, topic: event.topic, webhookId: event.webhookId, job: job.id });

export const processWebhook: ShopTask = async (rawPayload, { job, adminFor }) => {
  const payload = processWebhookPayload.parse(rawPayload);
  const storeId =
    "storeId" in payload
      ? payload.storeId
      : (await db.shopifyWebhookEvent.findUnique({ where: { id: payload.eventId }, select: { storeId: true } }))
          ?.storeId;
  if (storeId === null || storeId === undefined) return; // deliveries for unknown shops are never processed
  const installing = await db.shopifyStore.findUnique({
    where: { id: storeId },
    select: { shop: true, status: true, installPendingSince: true },
  });
  // An install interrupted after the library stored the offline session is finished here, so its
  // deliveries are applied rather than ignored (app/stores/install.server.ts).
  if (installing) await finishInstallForProcessing(installing, () => adminFor(installing.shop));
  let failed = 0;
  let after: { receivedAt: Date; id: string } | null = null;
  for (;;) {
    // A turn of the event loop before each page. On SQLite the queries underneath these awaits are
    // synchronous (better-sqlite3), so the awaits resolve as microtasks and, without this, a job would
    // apply every pending page before the web process read another request: a burst's job held
    // ingest's answers for hundreds of milliseconds (`npm run bench:webhooks`, its CPU profile).
    if (after) await nextEventLoopTurn();
    const page = await pendingPage(storeId, after);
    const last = page.at(-1);
    if (!last) break;
    after = { receivedAt: last.receivedAt, id: last.id };
    let store = await findStore(storeId);
    let run: StoredEvent[] = [];
    for (const event of page) {
      if (!store) return; // shop/redact removed the store and its deliveries
      if (isMapped(event.topic)) {
        run.push(event);
        continue;
      }
      failed += await applyRun(run, store, job, adminFor);
      run = [];
      failed += await applyAlone(event, store, job, adminFor);
      store = await findStore(storeId); // lifecycle deliveries change the store
    }
    if (store) failed += await applyRun(run, store, job, adminFor);
  }
  if (failed > 0) throw new Error(`${failed} webhook deliveries failed; they are retried with this job`);
};

/** Sync-topic deliveries together; returns how many failed (to be retried). */
async function applyRun(
  all: StoredEvent[],
  store: Store,
  job: JobInfo,
  adminFor: ShopTaskHelpers["adminFor"],
): Promise<number> {
  // At customer-data level none the app keeps no orders (docs/decisions/0023).
  const notSynced = syncsOrders(configuredCustomerData()) ? [] : all.filter((e) => e.topic.startsWith("orders/"));
  if (notSynced.length) {
    await db.$transaction((tx) => transitionMany(tx, notSynced, "ignored", "customer-data level none: no orders"));
  }
  const events = notSynced.length ? all.filter((e) => !notSynced.includes(e)) : all;
  if (events.length === 0) return 0;
  if (events.every((event) => skippedWhenUninstalled(store, event.topic))) {
    await db.$transaction((tx) => transitionMany(tx, events, "ignored", "store is uninstalled"));
    return 0;
  }
  const mapped: Array<{ event: StoredEvent; rows: WebhookRows }> = [];
  for (const event of events) {
    try {
      mapped.push({ event, rows: mapSyncTopic(event.topic as MappedTopic, contextOf(event, store)) });
    } catch (error) {
      await recordFailure(event, error, job);
    }
  }
  if (mapped.length === 0) return 0;
  try {
    await db.$transaction(
      async (tx) => {
        await writeWebhookRows(
          tx,
          store.id,
          mapped.map(({ rows }) => rows),
        );
        await transitionMany(
          tx,
          mapped.map(({ event }) => event),
          "processed",
        );
      },
      // Hundreds of deliveries on a slow shared disk can exceed Prisma's 5 s default.
      { timeout: 60_000, maxWait: 30_000 },
    );
  } catch (error) {
    logger.warn(
      { err: error, shop: store.shop, deliveries: mapped.length },
      "webhook:batch failed, applying one by one",
    );
    let failed = 0;
    for (const { event } of mapped) failed += await applyAlone(event, store, job, adminFor);
    return failed;
  }
  for (const { event } of mapped) {
    recordProcessed(event.topic, event.receivedAt);
    logFor(event, job).info("webhook:processed");
  }
  return 0;
}

/** One delivery in its own transaction; returns 1 if it failed and is to be retried. */
async function applyAlone(
  event: StoredEvent,
  store: Store,
  job: JobInfo,
  adminFor: ShopTaskHelpers["adminFor"],
): Promise<number> {
  if (skippedWhenUninstalled(store, event.topic)) {
    await db.$transaction((tx) => transitionMany(tx, [event], "ignored", "store is uninstalled"));
    return 0;
  }
  try {
    const context = contextOf(event, store);
    const processed = await apply(event, context, adminFor);
    if (processed) {
      recordProcessed(event.topic, event.receivedAt);
      logFor(event, job).info("webhook:processed");
    }
    return 0;
  } catch (error) {
    return recordFailure(event, error, job);
  }
}

/** Marks a delivery failed (1: retry it) or dead (0). */
async function recordFailure(event: StoredEvent, error: unknown, job: JobInfo): Promise<number> {
  const log = logFor(event, job);
  const reason = permanentFailure(error);
  if (reason || event.attempts + 1 >= MAX_DELIVERY_ATTEMPTS) {
    // A delivery that can never apply (signed by Shopify, but not a shape we can map) is dead at
    // once, alone (tests/webhooks/fuzz.test.ts); one that kept failing is dead after its last attempt.
    const message = reason ?? errorMessage(error);
    await db.$transaction(async (tx) => transition(tx, event, "dead", message, true));
    recordDeadLetter(event.topic);
    log.warn({ err: error, attempts: event.attempts + 1 }, "webhook:dead");
    return 0;
  }
  await db.$transaction(async (tx) => transition(tx, event, "failed", errorMessage(error)));
  log.warn({ err: error, attempt: event.attempts + 1 }, "webhook:failed");
  return 1;
}

/** Applies one delivery and records it processed; false when there is nothing left to record. */
async function apply(
  event: StoredEvent,
  context: WebhookContext,
  adminFor: ShopTaskHelpers["adminFor"],
): Promise<boolean> {
  const { topic } = event;
  if (isMapped(topic)) {
    await db.$transaction(async (tx) => {
      await writeWebhookRows(tx, context.store.id, [mapSyncTopic(topic, context)]);
      await transition(tx, event, "processed");
    });
    return true;
  }
  let refusal: RefusedByState | undefined;
  switch (topic) {
    case "app/uninstalled":
      refusal = await handleAppUninstalled(context, adminFor(context.store.shop, { retry: CONFIRM_UNINSTALL_RETRY }));
      break;
    case "app/scopes_update":
      await handleScopesUpdate(context);
      break;
    case "customers/data_request":
      await handleCustomerDataRequest(context);
      break;
    case "customers/redact":
      await handleCustomerRedact(context);
      break;
    case "shop/redact":
      refusal = await handleShopRedact(context);
      // Purged: the store row, and with it this event, is gone: there is no status to record.
      if (!refusal) return false;
      break;
    case "bulk_operations/finish": {
      // The full sync polls its operations too (delivery is not guaranteed); this delivery only
      // wakes the sync waiting for the operation sooner. An operation no sync waits for is ignored.
      const finished = bulkFinishPayload.safeParse(context.payload);
      if (finished.success) await onBulkOperationFinished(context.store.id, finished.data.admin_graphql_api_id);
      break;
    }
    default:
      throw new UnrecoverableJobError(`no handler for topic ${topic}`);
  }
  if (refusal) {
    // Recorded (the audit trail says why), logged and counted; nothing was changed.
    const { refused } = refusal;
    await db.$transaction(async (tx) => transition(tx, event, "ignored", `refused: ${refused}`));
    securityEvent("destructive_refused", { shop: event.shop, topic, webhookId: event.webhookId, reason: refused });
    return false;
  }
  await db.$transaction(async (tx) => transition(tx, event, "processed"));
  return true;
}

/** The reason to record when retrying `error` cannot help (a payload we cannot map), else null. */
function permanentFailure(error: unknown): string | null {
  if (error instanceof ShopifyInputError || error instanceof WebhookPayloadError) {
    return `invalid payload: ${error.message}`;
  }
  // The lifecycle and compliance handlers parse their payloads with zod.
  if (error instanceof z.ZodError) {
    return `invalid payload: ${error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}`;
  }
  // parseWebhookBody on JSON nested deeper than the parser's stack (the library's parse accepted it).
  if (error instanceof RangeError) return `invalid payload: ${error.message}`;
  if (error instanceof UnrecoverableJobError) return error.message;
  return null;
}

/**
 * The queue's permanent-failure hook for this task: the job ran out of attempts, so the store's
 * deliveries that failed are dead (each already counted its attempts).
 */
export async function deadLetterWebhooks(job: JobInfo, error: Error): Promise<void> {
  const parsed = processWebhookPayload.safeParse(job.payload);
  if (!parsed.success || !("storeId" in parsed.data)) return;
  const failed = await db.shopifyWebhookEvent.findMany({
    where: { storeId: parsed.data.storeId, status: "failed" },
    select: EVENT_FIELDS,
  });
  for (const event of failed) {
    await db.$transaction(async (tx) => transition(tx, event, "dead", event.lastError ?? error.message));
    recordDeadLetter(event.topic);
    logger.error({ shop: event.shop, topic: event.topic, webhookId: event.webhookId, job: job.id }, "webhook:dead");
  }
}
