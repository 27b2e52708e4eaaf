// The lifecycle of a stored webhook delivery: received → processed, or failed (retrying) → dead
// (dead-lettered after the last attempt), or ignored. Every change is kept in
// shopify_webhook_event_transitions (the audit trail). Ingest (app/webhooks/delivery-store.server.ts)
// and replay (replay.server.ts) enqueue processing the same way, through the task's
// enqueueProcessing (app/sync/tasks/webhooks/process.server.ts).
import type { Prisma } from "@prisma/client";
import { sqliteWriter } from "~/db/sqlite-connection.server";
import { preparedStatement, sqliteValue } from "~/sync/writer/upsert.server";
import { SYNC_TOPICS } from "./topics";

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
  const writer = sqliteWriter(tx);
  if ("sqlite" in writer) {
    // On SQLite, two prepared statements run per delivery on the transaction's connection: through
    // Prisma a page of a hundred deliveries was two statements with a hundred ids and rows to compile.
    const at = sqliteValue(new Date());
    const update = preparedStatement(
      writer.sqlite,
      toStatus === "processed"
        ? `UPDATE "shopify_webhook_events" SET "status" = ?, "lastError" = ?, "processedAt" = ? WHERE "id" = ?`
        : `UPDATE "shopify_webhook_events" SET "status" = ?, "lastError" = ? WHERE "id" = ?`,
    );
    const insert = preparedStatement(
      writer.sqlite,
      `INSERT INTO "shopify_webhook_event_transitions" ("eventId", "fromStatus", "toStatus", "error", "at") VALUES (?, ?, ?, ?, ?)`,
    );
    for (const event of events) {
      update.run(
        toStatus === "processed" ? [toStatus, reason ?? null, at, event.id] : [toStatus, reason ?? null, event.id],
      );
      insert.run([event.id, event.status, toStatus, reason ?? null, at]);
    }
    return;
  }
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
