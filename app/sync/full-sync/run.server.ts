// One step of a full sync (task "sync/full"). A full sync of one resource goes through three steps,
// each a run of the same job key, so the shop's queue is held only while we actually write:
//
//   1. start:   run the bulk query, record its id in the job's checkpoint, come back later;
//   2. wait:    poll `bulkOperation(id:)` with growing intervals (bulk_operations/finish wakes the job
//               early; the poll is the fallback, since webhook delivery is not guaranteed);
//   3. consume: stream the JSONL into the database in batches, each committed with its checkpoint.
//
// Why the steps: bulk operations run on Shopify, not here. Products, inventory and orders each start
// their operation in a short job and give the shop queue back, so all three operations run on Shopify
// at once (up to 5 per shop), while the writing — the part that conflicts with other work for the shop
// and, on SQLite, with every other writer — stays one job at a time per shop.
//
// A killed worker's job runs again (the queue's sweeper): it finds the operation id and the lines
// committed in the checkpoint, fetches a fresh result URL with bulkOperation(id:), skips those lines,
// and re-joins the child lines that were waiting for a parent.
import { z } from "zod";
import { db } from "~/db.server";
import { logger as appLogger } from "~/observability/logger.server";
import { bindCustomerData, syncsOrders, type CustomerDataPolicy } from "~/sync/engine/customer-data";
import { BULK_QUERIES, ORDERS_PAGE_QUERY, withRootSearch } from "~/admin-api/operations";
import { configuredCustomerData, RedactionLog, recordRedactions } from "~/sync/customer-data.server";
import { orderHistory, type OrderHistoryStore } from "~/sync/order-history";
import { failSyncJob, finishSyncJob, progressSyncJob, startSyncJob, type SyncResource } from "~/sync/jobs.server";
import { DEFAULT_BACKOFF, retryDelayMs, UnrecoverableJobError } from "~/sync/queue/queue.server";
import {
  bulkOperationStatus,
  BulkResultUnavailableError,
  CostMeter,
  startBulkQuery,
  type BulkApiClient,
} from "./bulk-operations.server";
import { readBulkResult } from "./bulk-lines.server";
import { consumeBulkLines, type BulkCheckpoint } from "./consume.server";
import { commitBatch, storedParents } from "./write-batch.server";
import { removeRowsMissingFromFile } from "~/sync/writer/missing-rows.server";
import { recordSyncState } from "~/sync/writer/sync-state.server";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The task's payload (app/sync/tasks/sync/full.server.ts). */
export interface FullSyncPayload {
  syncJobId: string;
}

/** Tunables; tests, the CLI and the benchmark change them. */
export const fullSyncSettings = {
  /** Lines per transaction: large enough that per-statement overhead vanishes, small enough to resume cheaply. */
  batchLines: 2_000,
  /** The first status poll after starting; each next one waits twice as long, up to maxPollMs. */
  firstPollMs: 500,
  /** Shopify advises polling large operations about once a minute; 30 s keeps small shops quick. */
  maxPollMs: 30_000,
  /**
   * A pause after each committed batch. On SQLite the embedded worker shares one file (one writer at
   * a time) with the web process; a pause lets request writes in between batches. 0 = none.
   */
  pauseBetweenBatchesMs: 0,
  /**
   * Bulk operations one sync may start again (its file gone, or Shopify's transient failure) before
   * it fails: a fourth failure in a row is no longer "intermittent" (ADR 0044).
   */
  maxBulkRestarts: 3,
  /** The wait before restart n is the queue's retry backoff for attempt n (1–2 s, 2–4 s, 4–8 s). */
  restartBackoff: DEFAULT_BACKOFF,
};

const checkpointSchema = z.object({
  bulkOperationId: z.string(),
  linesCommitted: z.number().int().nonnegative(),
  waiting: z.array(z.object({ line: z.number().int(), text: z.string() })).default([]),
  polls: z.number().int().nonnegative().default(0),
});

/**
 * The restarts so far, and why: kept in the checkpoint, beside a running operation's fields or alone
 * between a restart and the next operation's start (BulkCheckpoint's `restarts`, `restartReason`).
 * Both shapes carry them at the top level, so one parse reads them from either.
 */
const restartsSchema = z.object({ restarts: z.number().int().positive(), restartReason: z.string() });
type Restarts = z.infer<typeof restartsSchema>;

function restartsIn(checkpoint: unknown): Partial<Restarts> {
  const parsed = restartsSchema.safeParse(checkpoint);
  return parsed.success ? parsed.data : {};
}

/** The running job's note while a restarted operation runs (the Sync page shows it). */
const restartNote = (carried: Partial<Restarts>): string | null =>
  carried.restarts
    ? `${carried.restartReason}; started a new bulk operation (restart ${carried.restarts} of ${fullSyncSettings.maxBulkRestarts})`
    : null;

/**
 * Shopify's BulkOperationErrorCode values, in the merchant's words (the schema's descriptions:
 * Admin schema 2026-10 in tools/admin-schema/data, enum BulkOperationErrorCode), and whether running the same query
 * again may succeed: Shopify calls internal errors "intermittent, so you can try performing the same
 * query again", and a timeout may pass on a less loaded run; ACCESS_DENIED is a missing access scope,
 * which no new operation fixes (ADR 0044).
 */
const BULK_ERRORS: Record<string, { transient: boolean; meaning: string }> = {
  INTERNAL_SERVER_ERROR: { transient: true, meaning: "an internal error at Shopify" },
  TIMEOUT: { transient: true, meaning: "the query timed out at Shopify" },
  ACCESS_DENIED: {
    transient: false,
    meaning:
      "Shopify denied access to this data: the app is missing an access scope (permission) it needs; " +
      "grant the app's requested access in the Shopify admin, then sync again",
  },
};

function bulkFailure(resource: SyncResource, errorCode: string | null): { transient: boolean; message: string } {
  const known = errorCode ? BULK_ERRORS[errorCode] : undefined;
  const meaning = known?.meaning ?? "Shopify gave no known reason";
  return {
    transient: known?.transient ?? false,
    message: `Shopify's bulk operation for ${resource} failed with ${errorCode ?? "no error code"} (${meaning})`,
  };
}

/**
 * The bulk document for a resource; orders are limited to the store's order history and to the
 * customer data the app may have.
 */
export function bulkQueryFor(
  resource: SyncResource,
  store: OrderHistoryStore,
  now: Date,
  customerData: CustomerDataPolicy,
): string {
  if (resource !== "orders") return BULK_QUERIES[resource];
  const since = orderHistory(store, now).from;
  return withRootSearch(bindCustomerData(BULK_QUERIES.orders, customerData), `created_at:>='${since.toISOString()}'`);
}

const probeSchema = z.object({ orders: z.object({ nodes: z.array(z.unknown()) }) });

/**
 * A bulk result has no errors channel: Shopify writes null for a field it redacts, which reads the
 * same as an empty one. So before the operation starts, one page of the same orders through the same
 * fields tells which fields Shopify redacts for this shop (recorded for the dashboard), and an Order
 * object denied as a whole fails the sync here with Shopify's own message.
 */
async function probeCustomerData(
  meter: CostMeter,
  storeId: number,
  since: Date,
  customerData: CustomerDataPolicy,
): Promise<void> {
  const { data, redactedFields } = await meter.request(bindCustomerData(ORDERS_PAGE_QUERY, customerData), probeSchema, {
    first: CUSTOMER_DATA_PROBE_ORDERS,
    after: null,
    query: `created_at:>='${since.toISOString()}'`,
  });
  const log = new RedactionLog();
  log.add(redactedFields, data.orders.nodes.length);

  await recordRedactions(storeId, log);
}

/** Orders the probe reads: enough that some have a customer and addresses, a few cost points. */
const CUSTOMER_DATA_PROBE_ORDERS = 10;

export interface FullSyncDeps {
  client: BulkApiClient;
  signal?: AbortSignal;
  logger?: typeof appLogger;
  /** What the app may read of customers; default: the configured policy (CUSTOMER_DATA_LEVEL). */
  customerData?: CustomerDataPolicy;
  /**
   * Runs this step again in `delayMs` (the task enqueues itself under the same job key). Tests that
   * drive the steps by hand leave it out.
   */
  comeBackLater?: (delayMs: number) => Promise<void>;
  /** The clock the order history is measured by (tests run the emulator on a fake one). */
  now?: () => Date;
}

const pollDelay = (polls: number) =>
  Math.min(fullSyncSettings.maxPollMs, fullSyncSettings.firstPollMs * 2 ** Math.min(polls, 16));

export type StepOutcome = "started" | "waiting" | "completed" | "stopped" | "skipped";

export async function runFullSyncStep(payload: FullSyncPayload, deps: FullSyncDeps): Promise<StepOutcome> {
  const meter = new CostMeter(deps.client, deps.signal);
  try {
    return await step(payload, deps, meter);
  } finally {
    // What this step spent, whatever its outcome (a failed call costs too).
    if (meter.spent > 0) await progressSyncJob(payload.syncJobId, { cost: meter.spent }).catch(() => undefined);
  }
}

async function step(payload: FullSyncPayload, deps: FullSyncDeps, meter: CostMeter): Promise<StepOutcome> {
  const row = await db.shopifySyncJob.findUnique({
    where: { id: payload.syncJobId },
    include: { store: { select: { shop: true, status: true, grantedScopes: true, orderHistoryDays: true } } },
  });
  // Finished or deleted (uninstall): a stale queue job has nothing to do.
  if (!row || !["queued", "running"].includes(row.status)) return "skipped";
  if (row.store.status !== "active") {
    await failSyncJob(row.id, "store is uninstalled");
    return "skipped";
  }
  const log = (deps.logger ?? appLogger).child({ shop: row.store.shop, syncJob: row.id, resource: row.resource });
  const resource = row.resource as SyncResource;
  const carried = restartsIn(row.checkpoint);
  const parsed = checkpointSchema.safeParse(row.checkpoint);
  const checkpoint: BulkCheckpoint | null = parsed.success ? { ...parsed.data, ...carried } : null;
  const job = await startSyncJob(row.id, undefined, restartNote(carried));
  const customerData = deps.customerData ?? configuredCustomerData();
  if (resource === "orders" && !syncsOrders(customerData)) {
    // Orders are customer data (level 1): at level none the app does not read them.
    await finishSyncJob(job.id);
    log.info("sync:orders-skipped (customer-data level none)");
    return "completed";
  }

  if (!checkpoint) {
    const now = deps.now?.() ?? new Date();
    if (resource === "orders")
      await probeCustomerData(meter, row.storeId, orderHistory(row.store, now).from, customerData);
    const started = await startBulkQuery(meter, bulkQueryFor(resource, row.store, now, customerData));
    if (!started.ok) {
      // Five operations already run for this shop (ours or another sync's): a transient condition.
      if (started.limitReached) throw new Error(`bulk query not started: ${started.message}`);
      await failSyncJob(job.id, started.message);
      throw new UnrecoverableJobError(`bulk query refused: ${started.message}`);
    }
    const fresh: BulkCheckpoint = {
      ...carried,
      bulkOperationId: started.id,
      linesCommitted: 0,
      waiting: [],
      polls: 0,
    };
    await progressSyncJob(job.id, { checkpoint: { ...fresh }, bulkOperationId: started.id, totalCount: null });
    log.info({ bulkOperationId: started.id }, "sync:bulk-started");
    await deps.comeBackLater?.(pollDelay(0));
    return "started";
  }

  const operation = await bulkOperationStatus(meter, checkpoint.bulkOperationId);
  const restart = async (reason: string) => {
    // The one way a sync starts its bulk operation again: the file is gone (canceled, expired,
    // unknown), or Shopify failed the operation for a reason a new run may not meet (ADR 0044). A new
    // operation reads everything again; rows already written are rewritten with the same or newer
    // values (newest-wins), never duplicated.
    // Its progress starts again from zero rather than being counted idempotently: the new file is
    // read from its first line, so every line counted so far will be counted again. The counts are
    // cleared in the same statement as the checkpoint they belong to (a batch commits its counts with
    // its checkpoint, write-batch.server.ts), so they always describe the checkpoint's lines. The
    // cost spent is kept: those calls were paid for.
    // Bounded: the restarts are counted in the checkpoint (carried from each operation to the next),
    // and the sync fails once they are used up, rather than restarting for ever.
    const restarts = (carried.restarts ?? 0) + 1;
    if (restarts > fullSyncSettings.maxBulkRestarts) {
      const message = `${reason}; gave up after ${fullSyncSettings.maxBulkRestarts} restarts of the bulk operation`;
      log.warn({ bulkOperationId: checkpoint.bulkOperationId, reason }, "sync:bulk-restarts-exhausted");
      await failSyncJob(job.id, message);
      throw new UnrecoverableJobError(message);
    }
    const next: Restarts = { restarts, restartReason: reason };
    log.warn({ bulkOperationId: checkpoint.bulkOperationId, reason, restarts }, "sync:bulk-restart");
    await progressSyncJob(job.id, {
      checkpoint: next,
      bulkOperationId: null,
      done: null,
      units: null,
      totalCount: null,
      fileReadyAt: null,
      note: restartNote(next),
    });
    // The queue's retry backoff by restart number: Shopify's trouble is given time to pass.
    await deps.comeBackLater?.(retryDelayMs(restarts, fullSyncSettings.restartBackoff));
    return "waiting" as const;
  };
  if (!operation) return restart(`Shopify no longer knows bulk operation ${checkpoint.bulkOperationId}`);
  switch (operation.status) {
    case "CREATED":
    case "RUNNING":
    case "CANCELING": {
      const polls = (checkpoint.polls ?? 0) + 1;
      await progressSyncJob(job.id, {
        checkpoint: { ...checkpoint, polls },
        totalCount: operation.objectCount || null,
      });
      await deps.comeBackLater?.(pollDelay(polls));
      return "waiting";
    }
    // Not cancelled by us: a sync the merchant cancels stops before it polls again (step's first check),
    // so a CANCELED operation here was cancelled by Shopify (a stalled operation), which its docs
    // say to resubmit. EXPIRED: the operation's file is older than Shopify keeps it.
    case "CANCELED":
      return restart(`Shopify canceled bulk operation ${operation.id}`);
    case "EXPIRED":
      return restart(`the file of bulk operation ${operation.id} expired`);
    case "FAILED": {
      const failure = bulkFailure(resource, operation.errorCode);
      if (failure.transient) return restart(failure.message);
      await failSyncJob(job.id, failure.message);
      throw new UnrecoverableJobError(failure.message);
    }
    case "COMPLETED":
      break;
  }

  // The first step that finds the file ready ends the waiting (a resumed step keeps that time).
  await progressSyncJob(job.id, { totalCount: operation.objectCount, fileReadyAt: job.fileReadyAt ?? new Date() });
  if (operation.url) {
    try {
      const result = await consumeBulkLines({
        chunks: readBulkResult(operation.url, {
          skipLines: checkpoint.linesCommitted,
          signal: deps.signal,
          customerData,
        }),
        from: checkpoint,
        batchLines: fullSyncSettings.batchLines,
        lookup: storedParents(job.storeId),
        commit: async (batch) => {
          await commitBatch(job.storeId, job.id, operation.id, batch, checkpoint);
          if (fullSyncSettings.pauseBetweenBatchesMs > 0) await sleep(fullSyncSettings.pauseBetweenBatchesMs);
        },
        signal: deps.signal,
      });
      if (result.aborted) {
        // The worker is shutting down: the checkpoint is committed; the job resumes from it.
        throw new Error("stopped at a checkpoint: the worker is shutting down");
      }
      if (result.orphans.length) {
        log.warn({ orphans: result.orphans.length, sample: result.orphans[0]?.text }, "sync:bulk-orphans");
      }
    } catch (error) {
      if (error instanceof BulkResultUnavailableError) {
        return restart(`the file of bulk operation ${operation.id} could not be read (${error.message})`);
      }
      throw error;
    }
  }
  // The whole file is written (no url: the query matched nothing, and every row of it is gone).
  const removed = await removeRowsMissingFromFile({
    storeId: job.storeId,
    resource,
    jobStartedAt: job.startedAt ?? new Date(),
    operationCreatedAt: operation.createdAt,
    ordersCreatedFrom: orderHistory(row.store, operation.createdAt).from,
  });
  if (removed) log.info({ removed }, "sync:removed-missing-rows");
  await recordFullSync(job.storeId, resource, operation.createdAt);
  await finishSyncJob(job.id);
  log.info({ bulkOperationId: operation.id, objects: operation.objectCount }, "sync:full-finished");
  return "completed";
}

/**
 * The sync state after a full sync: everything updated before the operation started is in the
 * database, so an incremental sync may start from there (never moves the cursor back).
 */
async function recordFullSync(storeId: number, resource: SyncResource, operationCreatedAt: Date): Promise<void> {
  await db.$transaction((tx) =>
    recordSyncState(tx, storeId, resource, { cursor: operationCreatedAt, lastFullSyncAt: new Date() }),
  );
}
