// Every task the worker runs, by task identifier. One file per task, named like its identifier
// (app/sync/tasks/webhooks/process.server.ts handles "webhooks/process"); each parses its payload
// first. Permanent-failure hooks (dead letters) are registered beside their task.
import type { JobInfo, PermanentFailureHook, TaskList } from "~/sync/queue.server";
import { failFullSyncJob, FULL_SYNC_TASK, fullSync } from "./sync/full.server";
import { INCREMENTAL_SYNC_TASK, incrementalSync } from "./sync/incremental.server";
import { reconcile, RECONCILE_TASK, reconcileGaveUp } from "./sync/reconcile.server";
import { deadLetterWebhooks, PROCESS_WEBHOOK_TASK, processWebhook } from "./webhooks/process.server";

export const tasks: TaskList = {
  [PROCESS_WEBHOOK_TASK]: processWebhook,
  [FULL_SYNC_TASK]: fullSync,
  [INCREMENTAL_SYNC_TASK]: incrementalSync,
  [RECONCILE_TASK]: reconcile,
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
