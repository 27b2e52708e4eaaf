// When reconciliations run: a store's chain is started (or repaired) on every authentication
// (app/sync/triggers.server.ts), and a worker process looks for lost chains every hour
// (docs/decisions/0019-recurring-work.md). Each run enqueues its successor itself
// (app/sync/tasks/sync/reconcile.server.ts); this module only starts chains that are missing.
import { db } from "~/db.server";
import { SYNC_RESOURCES } from "~/sync/jobs.server";
import type { QueueLogger } from "~/sync/queue/queue.server";
import { enqueueReconciliation } from "~/sync/tasks/sync/reconcile.server";

/**
 * Makes sure every resource of the store has its reconciliation scheduled: at lastReconciledAt +
 * reconcileEveryHours (now, if overdue). A resource never reconciled is due one interval after the
 * install (so a new store waits one interval, a store whose chain was lost is due now): the
 * chain starts with the install's full sync, which reads everything a reconciliation would (run at
 * once, it read the whole shop again through paged queries, ahead of the full sync's own writes in the
 * shop's queue). Idempotent.
 */
export async function scheduleReconciliation(storeId: number, now = new Date()): Promise<void> {
  const store = await db.shopifyStore.findUniqueOrThrow({
    where: { id: storeId },
    select: { id: true, shop: true, installedAt: true, reconcileEveryHours: true, syncStates: true },
  });
  for (const resource of SYNC_RESOURCES) {
    const last = store.syncStates.find((state) => state.resource === resource)?.lastReconciledAt;
    const due = new Date((last ?? store.installedAt).getTime() + store.reconcileEveryHours * 3_600_000);
    await enqueueReconciliation(store, resource, due > now ? due : now, "preserve_run_at");
  }
}

/** Active stores read per page by the repair (bounds its memory however many stores there are). */
const REPAIR_PAGE_SIZE = 500;

/**
 * Stores whose reconciliation is a whole interval overdue (its chain was lost: a worker crashed on a
 * run's last attempt, a scheduling write failed) get their chain again. Cheap when nothing is lost:
 * a paged read of the active stores' reconciliation times. Returns the stores repaired.
 */
export async function repairOverdueReconciliations(now = new Date(), logger?: QueueLogger): Promise<number> {
  let repaired = 0;
  let afterId = 0;
  for (;;) {
    const stores = await db.shopifyStore.findMany({
      where: { status: "active", id: { gt: afterId } },
      orderBy: { id: "asc" },
      take: REPAIR_PAGE_SIZE,
      select: {
        id: true,
        shop: true,
        installedAt: true,
        reconcileEveryHours: true,
        syncStates: { select: { resource: true, lastReconciledAt: true } },
      },
    });
    for (const store of stores) {
      const interval = store.reconcileEveryHours * 3_600_000;
      const overdue = SYNC_RESOURCES.some((resource) => {
        const last = store.syncStates.find((state) => state.resource === resource)?.lastReconciledAt;
        // The first run comes one interval after install; two intervals without one is a lost chain.
        return (last ?? store.installedAt).getTime() + 2 * interval < now.getTime();
      });
      if (!overdue) continue;
      await scheduleReconciliation(store.id, now);
      logger?.warn({ shop: store.shop }, "sync:reconciliation overdue; chain scheduled again");
      repaired++;
    }
    const last = stores.at(-1);
    if (!last || stores.length < REPAIR_PAGE_SIZE) return repaired;
    afterId = last.id;
  }
}

/** How often a worker process looks for lost reconciliation chains. */
export const REPAIR_EVERY_MS = 60 * 60_000;

/**
 * Runs repairOverdueReconciliations when a worker starts and then every REPAIR_EVERY_MS while it runs
 * (a timer of the process, not a job: it cannot be lost with the queue's state). Never keeps the
 * process alive; stops with `signal`.
 */
export function keepReconciliationChainsAlive(logger: QueueLogger, signal?: AbortSignal): void {
  const repair = () =>
    void repairOverdueReconciliations(new Date(), logger).catch((error: unknown) =>
      logger.warn({ err: error }, "sync:reconciliation repair failed; tried again later"),
    );
  repair();
  const timer = setInterval(repair, REPAIR_EVERY_MS);
  timer.unref();
  signal?.addEventListener("abort", () => clearInterval(timer), { once: true });
}
