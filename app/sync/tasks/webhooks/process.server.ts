// Task "webhooks/process": applies stored webhook deliveries (app/webhooks/ingest.server.ts wrote
// them). A job names either one event, or a resource of a store: then it applies every pending
// delivery about that resource, so a burst of products/update for one product collapses into one job
// (ingest enqueues it under a job key per resource). Each delivery is applied in its own transaction
// together with its status change, so a crash leaves it pending, never half-applied.
import { z } from "zod";
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";
import { recordDeadLetter, recordProcessed } from "~/observability/metrics.server";
import { MAPPED_TOPICS, parseWebhookBody, type MappedTopic } from "~/sync/engine/fromWebhook";
import { ShopifyInputError } from "~/sync/engine/input";
import { UnrecoverableJobError, type JobInfo, type Task } from "~/sync/queue.server";
import { onBulkOperationFinished } from "~/sync/triggers.server";
import {
  handleCustomerDataRequest,
  handleCustomerRedact,
  handleShopRedact,
} from "~/webhooks/handlers/compliance.server";
import { WebhookPayloadError, type WebhookContext } from "~/webhooks/handlers/context";
import { handleAppUninstalled, handleScopesUpdate } from "~/webhooks/handlers/lifecycle.server";
import { handleSyncTopic } from "~/webhooks/handlers/sync-topics.server";
import {
  PROCESS_WEBHOOK_TASK,
  processWebhookPayload,
  recordIgnored,
  transition,
  type ProcessWebhookPayload,
} from "~/webhooks/events.server";

export { PROCESS_WEBHOOK_TASK };

const bulkFinishPayload = z.object({ admin_graphql_api_id: z.string() });

const isMapped = (topic: string): topic is MappedTopic => (MAPPED_TOPICS as readonly string[]).includes(topic);

type StoredEvent = NonNullable<Awaited<ReturnType<typeof findEvent>>>;

function findEvent(id: string) {
  return db.shopifyWebhookEvent.findUnique({
    where: { id },
    include: { store: { select: { id: true, shop: true, status: true } } },
  });
}

async function pendingEvents(payload: ProcessWebhookPayload): Promise<StoredEvent[]> {
  if ("eventId" in payload) {
    const event = await findEvent(payload.eventId);
    return event && ["received", "failed"].includes(event.status) ? [event] : [];
  }
  return db.shopifyWebhookEvent.findMany({
    where: { storeId: payload.storeId, resourceId: payload.resourceId, status: { in: ["received", "failed"] } },
    include: { store: { select: { id: true, shop: true, status: true } } },
    orderBy: [{ triggeredAt: "asc" }, { receivedAt: "asc" }],
  });
}

async function apply(event: StoredEvent, context: WebhookContext): Promise<void> {
  const { topic } = event;
  if (isMapped(topic)) {
    await db.$transaction(async (tx) => {
      await handleSyncTopic(tx, topic, context);
      await transition(tx, event, "processed");
    });
    return;
  }
  switch (topic) {
    case "app/uninstalled":
      await handleAppUninstalled(context);
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
      // The store row, and with it this event, is gone afterwards: there is no status to record.
      await handleShopRedact(context);
      return;
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
  await db.$transaction(async (tx) => transition(tx, event, "processed"));
}

export const processWebhook: Task = async (rawPayload, { job }) => {
  const payload = processWebhookPayload.parse(rawPayload);
  for (const event of await pendingEvents(payload)) {
    const log = logger.child({ shop: event.shop, topic: event.topic, webhookId: event.webhookId, job: job.id });
    if (!event.store) continue; // deliveries for unknown shops are never processed
    if (event.store.status !== "active" && !event.topic.startsWith("shop/") && !event.topic.startsWith("customers/")) {
      // After uninstall nothing is synced; compliance requests are still honoured.
      await recordIgnored(event, "store is uninstalled");
      continue;
    }
    try {
      const context: WebhookContext = {
        store: { id: event.store.id, shop: event.store.shop },
        eventId: event.id,
        topic: event.topic,
        payload: parseWebhookBody(event.rawBody),
        triggeredAt: event.triggeredAt,
        receivedAt: event.receivedAt,
      };
      await apply(event, context);
      recordProcessed(event.topic, event.receivedAt);
      log.info("webhook:processed");
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reason = permanentFailure(error);
      if (reason) {
        // A delivery that can never apply (signed by Shopify, but not a shape we can map) is dead at
        // once, alone: throwing would retry it 25 times and, on the last attempt, dead-letter every
        // other pending delivery of this resource's job with it (tests/webhooks/fuzz.test.ts).
        await db.$transaction(async (tx) => transition(tx, event, "dead", reason));
        recordDeadLetter(event.topic);
        log.warn({ err: error }, "webhook:dead");
        continue;
      }
      await db.$transaction(async (tx) => transition(tx, event, "failed", message));
      log.warn({ err: error, attempt: job.attempts }, "webhook:failed");
      throw error;
    }
  }
};

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

/** The queue's permanent-failure hook for this task: the deliveries it could not apply are dead. */
export async function deadLetterWebhooks(job: JobInfo, error: Error): Promise<void> {
  const parsed = processWebhookPayload.safeParse(job.payload);
  if (!parsed.success) return;
  for (const event of await pendingEvents(parsed.data)) {
    await db.$transaction(async (tx) => transition(tx, event, "dead", error.message));
    recordDeadLetter(event.topic);
    logger.error({ shop: event.shop, topic: event.topic, webhookId: event.webhookId, job: job.id }, "webhook:dead");
  }
}
