// The lifecycle of a stored webhook delivery: received → processed, or failed (retrying) → dead
// (dead-lettered after the last attempt), or ignored. Every change is kept in
// shopify_webhook_event_transitions (the audit trail). Ingest and replay enqueue processing the same
// way, through enqueueProcessing.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { securityEvent } from "~/observability/security.server";
import { enqueue, wakeWorkers } from "~/sync/queue.server";
import { SYNC_TOPICS } from "./topics";

export const PROCESS_WEBHOOK_TASK = "webhooks/process";

/**
 * A job processes every pending delivery of one store. Older payloads (one event; one resource of a
 * store) may still be queued from before a deploy: they are read as "that store".
 */
export const processWebhookPayload = z.union([
  z.object({ storeId: z.number().int().positive() }),
  z.object({ eventId: z.string().min(1) }),
]);

/** After this many failed attempts a delivery is dead-lettered (replay brings it back). */
export const MAX_DELIVERY_ATTEMPTS = 10;

export type WebhookEventStatus = "received" | "processed" | "failed" | "dead" | "ignored";

/**
 * The resource a delivery is about, as a GID (stored with it: the UI shows a product's last delivery).
 * `admin_graphql_api_id` is a string in every such payload, so it is exact whatever the parser did to
 * numeric ids; products/delete carries only the numeric id (products' ids are below 2^53).
 */
export function resourceIdFor(topic: string, payload: unknown): string | null {
  if (!payload || typeof payload !== "object") return null;
  const body = payload as Record<string, unknown>;
  if (topic === "products/delete") {
    return typeof body.id === "number" || typeof body.id === "string" ? `gid://shopify/Product/${body.id}` : null;
  }
  if (/^(products|orders|inventory_levels)\//.test(topic) && typeof body.admin_graphql_api_id === "string") {
    return body.admin_graphql_api_id;
  }
  return null;
}

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
    { storeId: store.storeId },
    {
      queueName: `shop:${store.shop}`,
      jobKey: `${PROCESS_WEBHOOK_TASK}:${store.storeId}`,
      jobKeyMode: "preserve_run_at",
      runAt,
      shop: store.shop,
      maxAttempts: MAX_DELIVERY_ATTEMPTS,
    },
    tx,
  );
  return runAt;
}

/**
 * Records a status change of one delivery. An attempt that failed counts once: by default as `failed`
 * (it will be retried), or as `dead` when it went straight there (a payload that can never apply);
 * a `failed` delivery dead-lettered later by the queue's hook was counted already. Pass
 * `countAttempt` to say it outright (a retried delivery whose last attempt failed).
 */
export async function transition(
  tx: Prisma.TransactionClient,
  event: { id: string; status: string },
  toStatus: WebhookEventStatus,
  error?: string,
  countAttempt = toStatus === "failed" || (toStatus === "dead" && event.status !== "failed"),
): Promise<void> {
  await tx.shopifyWebhookEvent.update({
    where: { id: event.id },
    data: {
      status: toStatus,
      ...(toStatus === "processed" ? { processedAt: new Date(), lastError: null } : {}),
      ...(countAttempt ? { attempts: { increment: 1 } } : {}),
      ...(error !== undefined ? { lastError: error } : {}),
    },
  });
  await tx.shopifyWebhookEventTransition.create({
    data: { eventId: event.id, fromStatus: event.status, toStatus, error: error ?? null },
  });
}

/**
 * The same change for many deliveries in two statements (processed or ignored: no attempt is counted),
 * for batch processing.
 */
export async function transitionMany(
  tx: Prisma.TransactionClient,
  events: ReadonlyArray<{ id: string; status: string }>,
  toStatus: "processed" | "ignored",
  reason?: string,
): Promise<void> {
  if (events.length === 0) return;
  await tx.shopifyWebhookEvent.updateMany({
    where: { id: { in: events.map((event) => event.id) } },
    data: {
      status: toStatus,
      lastError: reason ?? null,
      ...(toStatus === "processed" ? { processedAt: new Date() } : {}),
    },
  });
  await tx.shopifyWebhookEventTransition.createMany({
    data: events.map((event) => ({ eventId: event.id, fromStatus: event.status, toStatus, error: reason ?? null })),
  });
}

/**
 * Whether a stored delivery may be applied again from the UI: sync topics only. Lifecycle and
 * compliance deliveries act once, when Shopify sends them: replaying an old app/uninstalled, shop/redact
 * or customers/redact would undo an install or erase data on a click (docs/decisions/0016).
 */
export function isReplayable(topic: string): boolean {
  return (SYNC_TOPICS as readonly string[]).includes(topic);
}

/** Replays one delivery of a store (any status but ignored): it is applied again, newest-wins. */
export async function replayWebhookEvent(storeId: number, eventId: string): Promise<boolean> {
  const runAt = await db.$transaction(async (tx) => {
    const event = await tx.shopifyWebhookEvent.findFirst({ where: { id: eventId, storeId } });
    if (!event || event.storeId === null) return null;
    if (!isReplayable(event.topic)) {
      securityEvent("replay_refused", {
        shop: event.shop,
        topic: event.topic,
        webhookId: event.webhookId,
        reason: "lifecycle and compliance deliveries are not replayed",
      });
      return null;
    }
    // A replayed delivery starts its attempts again.
    await tx.shopifyWebhookEvent.update({ where: { id: event.id }, data: { attempts: 0 } });
    await transition(tx, event, "received", "replayed");
    return enqueueProcessing(tx, { storeId: event.storeId, shop: event.shop });
  });
  if (!runAt) return false;
  wakeWorkers(runAt);
  return true;
}

/** Replays every dead delivery of a store (of the replayable topics); returns how many. */
export async function replayDeadWebhookEvents(storeId: number): Promise<number> {
  const dead = await db.shopifyWebhookEvent.findMany({
    where: { storeId, status: "dead", topic: { in: [...SYNC_TOPICS] } },
    select: { id: true },
  });
  let replayed = 0;
  for (const { id } of dead) if (await replayWebhookEvent(storeId, id)) replayed += 1;
  return replayed;
}
