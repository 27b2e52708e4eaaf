// Retention (docs/decisions/0017-personal-data-and-retention.md): what Shop Sync keeps is bounded in
// time, by a scheduled job ("privacy/retention", hourly, across all stores):
// - the raw body of a processed delivery is erased WEBHOOK_BODY_RETENTION_DAYS after it was received
//   (default 7): its metadata (topic, ids, times, status) and audit trail stay; failed and dead
//   deliveries keep theirs until they are applied or their store is purged (a replay needs it);
// - an ignored delivery is kept IGNORED_WEBHOOK_RETENTION_HOURS (default 24): for a shop with no
//   store it is deleted, for a store (refused, or after uninstall) it loses its body;
// - a store uninstalled longer than its "keep data after uninstall" setting (retainDaysAfterUninstall)
//   is purged entirely (purge.server.ts), whether or not shop/redact ever arrived.
// Scheduling is a chain, as for reconciliation: each run enqueues the next under one job key.
import { db } from "~/db.server";
import { env } from "~/env.server";
import { logger } from "~/observability/logger.server";
import { enqueue, type Task } from "~/sync/queue/queue.server";
import { purgeShop } from "./purge.server";

export const RETENTION_TASK = "privacy/retention";
const RETENTION_JOB_KEY = RETENTION_TASK;
export const RETENTION_INTERVAL_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

export interface RetentionPolicy {
  bodyDays: number;
  ignoredHours: number;
}

export function retentionPolicy(): RetentionPolicy {
  const config = env();
  return { bodyDays: config.WEBHOOK_BODY_RETENTION_DAYS, ignoredHours: config.IGNORED_WEBHOOK_RETENTION_HOURS };
}

export interface RetentionResult {
  bodiesErased: number;
  ignoredErased: number;
  ignoredDeleted: number;
  storesPurged: string[];
}

/** One retention pass at `now` (a parameter, so tests run it on a fake clock). */
export async function runRetention(now = new Date(), policy = retentionPolicy()): Promise<RetentionResult> {
  const bodyCutoff = new Date(now.getTime() - policy.bodyDays * DAY_MS);
  const ignoredCutoff = new Date(now.getTime() - policy.ignoredHours * 3_600_000);
  const erase = { rawBody: "", bodyErasedAt: now };
  const bodies = await db.shopifyWebhookEvent.updateMany({
    where: { status: "processed", bodyErasedAt: null, receivedAt: { lt: bodyCutoff } },
    data: erase,
  });
  const ignoredErased = await db.shopifyWebhookEvent.updateMany({
    where: { status: "ignored", storeId: { not: null }, bodyErasedAt: null, receivedAt: { lt: ignoredCutoff } },
    data: erase,
  });
  const ignoredDeleted = await db.shopifyWebhookEvent.deleteMany({
    where: { status: "ignored", storeId: null, receivedAt: { lt: ignoredCutoff } },
  });
  const uninstalled = await db.shopifyStore.findMany({
    where: { status: "uninstalled", uninstalledAt: { not: null } },
    select: { id: true, shop: true, uninstalledAt: true, retainDaysAfterUninstall: true },
  });
  const storesPurged: string[] = [];
  for (const store of uninstalled) {
    const purgeAt = (store.uninstalledAt as Date).getTime() + store.retainDaysAfterUninstall * DAY_MS;
    if (purgeAt > now.getTime()) continue;
    await purgeShop(store, `uninstalled ${store.retainDaysAfterUninstall} days ago (keep data after uninstall)`);
    storesPurged.push(store.shop);
  }
  const result = {
    bodiesErased: bodies.count,
    ignoredErased: ignoredErased.count,
    ignoredDeleted: ignoredDeleted.count,
    storesPurged,
  };
  logger.info(result, "privacy:retention");
  return result;
}

/** Retention runs alone, in a queue of its own (a job key needs a queue). */
const RETENTION_QUEUE = "privacy";

/**
 * Starts (or keeps) the hourly chain: every worker calls it when it starts, so a chain broken by a run
 * that failed for good is repaired by the next start. Idempotent: preserve_run_at never postpones a
 * run that is already scheduled.
 */
export async function scheduleRetention(runAt = new Date()): Promise<void> {
  await enqueue(
    RETENTION_TASK,
    {},
    { queueName: RETENTION_QUEUE, jobKey: RETENTION_JOB_KEY, jobKeyMode: "preserve_run_at", runAt },
  );
}

/**
 * Task "privacy/retention": one pass, then the next one an interval later under the same key. A pass
 * that fails is retried by the queue (only a successful run enqueues the next: enqueueing the key
 * earlier would make the running job give up its retries, docs/decisions/0009).
 */
export const retention: Task = async () => {
  await runRetention();
  await enqueue(
    RETENTION_TASK,
    {},
    { queueName: RETENTION_QUEUE, jobKey: RETENTION_JOB_KEY, runAt: new Date(Date.now() + RETENTION_INTERVAL_MS) },
  );
};
