// Every task the worker runs, by task identifier. One file per task, named like its identifier
// (app/sync/tasks/webhooks/process.server.ts handles "webhooks/process"); each exports its identifier,
// payload schema and enqueue function, and parses its payload first. Permanent-failure hooks (dead
// letters) are registered beside their task. Tasks that reach Shopify get the Admin client here
// (shop-task.server.ts says why).
import { adminClientFor } from "~/admin-api/for-shop.server";
import { retention, RETENTION_TASK } from "~/privacy/retention.server";
import type { JobInfo, PermanentFailureHook, Task, TaskList } from "~/sync/queue/queue.server";
import type { ShopTask } from "./shop-task.server";
import { failFullSyncJob, FULL_SYNC_TASK, fullSync } from "./sync/full.server";
import { INCREMENTAL_SYNC_TASK, incrementalSync } from "./sync/incremental.server";
import { reconcile, RECONCILE_TASK, reconcileGaveUp } from "./sync/reconcile.server";
import { deadLetterWebhooks, PROCESS_WEBHOOK_TASK, processWebhook } from "./webhooks/process.server";

const withShopAccess =
  (task: ShopTask): Task =>
  (payload, helpers) =>
    task(payload, { ...helpers, adminFor: (shop, options) => adminClientFor(shop, options) });

export const tasks: TaskList = {
  [PROCESS_WEBHOOK_TASK]: withShopAccess(processWebhook),
  [FULL_SYNC_TASK]: withShopAccess(fullSync),
  [INCREMENTAL_SYNC_TASK]: withShopAccess(incrementalSync),
  [RECONCILE_TASK]: withShopAccess(reconcile),
  [RETENTION_TASK]: retention,
};

const deadLetters: Record<string, (job: JobInfo, error: Error) => Promise<void>> = {
  [PROCESS_WEBHOOK_TASK]: deadLetterWebhooks,
  [FULL_SYNC_TASK]: failFullSyncJob,
  // Not a dead letter: the chain's next run (docs/decisions/0019-recurring-work.md).
  [RECONCILE_TASK]: reconcileGaveUp,
};

export const onPermanentFailure: PermanentFailureHook = async (job, error) => {
  await deadLetters[job.taskIdentifier]?.(job, error);
};
