// Webhooks page: the store's delivery log (filter by topic and status, on the (storeId, topic|status,
// receivedAt) indexes), one delivery with headers, pretty-printed payload and audit trail, and retry /
// replay through app/webhooks/replay.server.ts (which scopes every statement by the store id).
import { z } from "zod";
import { tenantDb } from "~/db/tenant.server";
import { isReplayable } from "~/webhooks/deliveries.server";
import { replayDeadWebhookEvents, replayWebhookEvent } from "~/webhooks/replay.server";
import type { Store } from "./context.server";
import { formatDateTime, formatDuration } from "./format";
import { offsetFor, pageParam } from "./search.server";

export const WEBHOOKS_PAGE_SIZE = 50;
export const WEBHOOK_STATUSES = ["received", "processing", "processed", "failed", "dead", "ignored"] as const;

export const webhookListQuery = z.object({
  topic: z
    .string()
    .regex(/^[a-z_]+\/[a-z_]+$/)
    .optional()
    .catch(undefined),
  status: z.enum(WEBHOOK_STATUSES).optional().catch(undefined),
  page: pageParam,
});
export type WebhookListQuery = z.infer<typeof webhookListQuery>;

export async function webhookListView(store: Store, query: WebhookListQuery) {
  const data = tenantDb(store.id);
  const where = {
    ...(query.topic ? { topic: query.topic } : {}),
    ...(query.status ? { status: query.status } : {}),
  };
  const [events, total, topics, dead] = await Promise.all([
    data.shopifyWebhookEvent.findMany({
      where,
      orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
      ...offsetFor(query.page, WEBHOOKS_PAGE_SIZE),
      select: {
        id: true,
        topic: true,
        status: true,
        attempts: true,
        resourceId: true,
        lastError: true,
        receivedAt: true,
        processedAt: true,
      },
    }),
    data.shopifyWebhookEvent.count({ where }),
    data.shopifyWebhookEvent.groupBy({ by: ["topic"], orderBy: { topic: "asc" } }),
    data.shopifyWebhookEvent.count({ where: { status: "dead" } }),
  ]);
  return {
    query,
    total,
    dead,
    topics: topics.map((row) => row.topic),
    pagination: { page: query.page, hasPrevious: query.page > 1, hasNext: query.page * WEBHOOKS_PAGE_SIZE < total },
    events: events.map((event) => ({
      id: event.id,
      topic: event.topic,
      status: event.status,
      attempts: event.attempts,
      resourceId: event.resourceId,
      lastError: event.lastError,
      receivedAt: formatDateTime(event.receivedAt, store.ianaTimezone),
      lag: event.processedAt ? formatDuration(event.processedAt.getTime() - event.receivedAt.getTime()) : null,
    })),
  };
}

export const webhookIdParam = z.string().min(1).max(64);

/** The raw body pretty-printed when it is JSON (as Shopify sends it), else as received. */
export function prettyPayload(rawBody: string): string {
  try {
    return JSON.stringify(JSON.parse(rawBody), null, 2);
  } catch {
    return rawBody;
  }
}

export async function webhookDetailView(store: Store, id: string) {
  const event = await tenantDb(store.id).shopifyWebhookEvent.findUnique({
    where: { id },
    include: { transitions: { orderBy: [{ at: "asc" }, { id: "asc" }] } },
  });
  if (!event) return null;
  const headers =
    event.headers && typeof event.headers === "object" && !Array.isArray(event.headers)
      ? Object.entries(event.headers as Record<string, unknown>).map(([name, value]) => ({
          name,
          value: typeof value === "string" ? value : JSON.stringify(value),
        }))
      : [];
  return {
    event: {
      id: event.id,
      webhookId: event.webhookId,
      topic: event.topic,
      status: event.status,
      attempts: event.attempts,
      resourceId: event.resourceId,
      apiVersion: event.apiVersion,
      lastError: event.lastError,
      receivedAt: formatDateTime(event.receivedAt, store.ianaTimezone),
      processedAt: formatDateTime(event.processedAt, store.ianaTimezone),
      triggeredAt: formatDateTime(event.triggeredAt, store.ianaTimezone),
      // Lifecycle and compliance deliveries are never replayed (isReplayable).
      retryable: event.status !== "ignored" && isReplayable(event.topic),
    },
    headers,
    // Erased by retention or a customers/redact (app/privacy): the delivery's metadata stays.
    payload: event.bodyErasedAt ? null : prettyPayload(event.rawBody),
    payloadErasedAt: formatDateTime(event.bodyErasedAt, store.ianaTimezone),
    transitions: event.transitions.map((transition) => ({
      id: transition.id,
      fromStatus: transition.fromStatus,
      toStatus: transition.toStatus,
      error: transition.error,
      at: formatDateTime(transition.at, store.ianaTimezone),
    })),
  };
}

/** Retries one delivery of the store; false when the store has no such (retryable) delivery. */
export async function retryWebhook(store: Store, id: string): Promise<boolean> {
  const event = await tenantDb(store.id).shopifyWebhookEvent.findUnique({ where: { id }, select: { status: true } });
  if (!event || event.status === "ignored") return false;
  return replayWebhookEvent(store.id, id);
}

export function replayDeadWebhooks(store: Store): Promise<number> {
  return replayDeadWebhookEvents(store.id);
}
