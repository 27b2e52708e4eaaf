// Replaying stored deliveries from the UI and the API: a delivery goes back to `received` (its audit
// trail says "replayed") and the store's processing job is enqueued, as ingest does.
import { db } from "~/db.server";
import { securityEvent } from "~/observability/security.server";
import { wakeWorkers } from "~/sync/queue/queue.server";
import { enqueueProcessing } from "~/sync/tasks/webhooks/process.server";
import { isReplayable, transition } from "./deliveries.server";
import { SYNC_TOPICS } from "./topics";

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
