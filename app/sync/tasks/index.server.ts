// Every task the worker runs, by task identifier. One file per task, named like its identifier
// (app/sync/tasks/products/sync.server.ts handles "products/sync"); each parses its payload first.
// The sync engine and the webhook pipeline register theirs here.
import { type TaskList } from "~/sync/queue.server";

export const tasks: TaskList = {};
