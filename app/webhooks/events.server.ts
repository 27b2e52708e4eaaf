// The lifecycle of a stored webhook delivery: received → processed, or failed (retrying) → dead
// (dead-lettered after the last attempt), or ignored. Every change is kept in
// shopify_webhook_event_transitions (the audit trail). Ingest and replay enqueue processing the same
// way, through enqueueProcessing.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db } from "~/db.server";
import { enqueue } from "~/sync/queue.server";

export const PROCESS_WEBHOOK_TASK = "webhooks/process";

export const processWebhookPayload = z.union([
  z.object({ eventId: z.string().min(1) }),
  z.object({ storeId: z.number().int().positive(), resourceId: z.string().min(1) }),
]);
export type ProcessWebhookPayload = z.infer<typeof processWebhookPayload>;

export type WebhookEventStatus = "received" | "processed" | "failed" | "dead" | "ignored";

/**
 * The resource a delivery is about, as a GID, for the topics whose deliveries collapse per resource.
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

/** Queues processing of a stored delivery (in the caller's transaction). Deliveries about one resource
 * share a job key, so a burst becomes one job that applies them all. */
export async function enqueueProcessing(
  tx: Prisma.TransactionClient,
  event: { id: string; shop: string; storeId: number; resourceId: string | null },
): Promise<void> {
  const queueName = `shop:${event.shop}`;
  if (event.resourceId) {
    await enqueue(
      PROCESS_WEBHOOK_TASK,
      { storeId: event.storeId, resourceId: event.resourceId },
      { queueName, jobKey: `${PROCESS_WEBHOOK_TASK}:${event.storeId}:${event.resourceId}`, shop: event.shop },
      tx,
    );
  } else {
    await enqueue(PROCESS_WEBHOOK_TASK, { eventId: event.id }, { queueName, shop: event.shop }, tx);
  }
}

export async function transition(
  tx: Prisma.TransactionClient,
  event: { id: string; status: string },
  toStatus: WebhookEventStatus,
  error?: string,
): Promise<void> {
  await tx.shopifyWebhookEvent.update({
    where: { id: event.id },
    data: {
      status: toStatus,
      ...(toStatus === "processed" ? { processedAt: new Date(), lastError: null } : {}),
      // An attempt that failed counts once: as `failed` (it will be retried), or as `dead` when it went
      // straight there (a payload that can never apply); a `failed` event dead-lettered later was
      // counted already.
      ...(toStatus === "failed" || (toStatus === "dead" && event.status !== "failed")
        ? { attempts: { increment: 1 } }
        : {}),
      ...(error !== undefined ? { lastError: error } : {}),
    },
  });
  await tx.shopifyWebhookEventTransition.create({
    data: { eventId: event.id, fromStatus: event.status, toStatus, error: error ?? null },
  });
}

/** Replays one delivery of a store (any status but ignored): it is applied again, newest-wins. */
export async function replayWebhookEvent(storeId: number, eventId: string): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const event = await tx.shopifyWebhookEvent.findFirst({ where: { id: eventId, storeId } });
    if (!event || event.storeId === null) return false;
    await transition(tx, event, "received", "replayed");
    await enqueueProcessing(tx, { ...event, storeId: event.storeId });
    return true;
  });
}

/** Replays every dead delivery of a store; returns how many. */
export async function replayDeadWebhookEvents(storeId: number): Promise<number> {
  const dead = await db.shopifyWebhookEvent.findMany({ where: { storeId, status: "dead" }, select: { id: true } });
  let replayed = 0;
  for (const { id } of dead) if (await replayWebhookEvent(storeId, id)) replayed += 1;
  return replayed;
}

export async function recordIgnored(event: { id: string; status: string }, reason: string): Promise<void> {
  await db.$transaction(async (tx) => transition(tx, event, "ignored", reason));
}
