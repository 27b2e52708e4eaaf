// Every task the worker runs, by task identifier. One file per task, named like its identifier
// (app/sync/tasks/webhooks/process.server.ts handles "webhooks/process"); each parses its payload
// first. Permanent-failure hooks (dead letters) are registered beside their task.
import type { JobInfo, PermanentFailureHook, TaskList } from "~/sync/queue.server";
import { deadLetterWebhooks, PROCESS_WEBHOOK_TASK, processWebhook } from "./webhooks/process.server";

export const tasks: TaskList = {
  [PROCESS_WEBHOOK_TASK]: processWebhook,
};

const deadLetters: Record<string, (job: JobInfo, error: Error) => Promise<void>> = {
  [PROCESS_WEBHOOK_TASK]: deadLetterWebhooks,
};

export const onPermanentFailure: PermanentFailureHook = async (job, error) => {
  await deadLetters[job.taskIdentifier]?.(job, error);
};
