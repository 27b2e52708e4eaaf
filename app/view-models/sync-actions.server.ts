// The UI's and the API's way into the sync engine: starting and cancelling syncs.
import { cancelSyncJob as engineCancelSyncJob } from "~/sync/jobs.server";
import { requestSync as engineRequestSync } from "~/sync/triggers.server";
import type { SyncKind, SyncResource } from "./sync-options";

export interface SyncRequest {
  kind: SyncKind;
  resource: SyncResource;
}

/** Starts a sync of one resource for a store; returns the sync job's id. */
export async function requestSync(storeId: number, request: SyncRequest): Promise<{ jobId: string | null }> {
  const { job } = await engineRequestSync(storeId, { ...request, trigger: "manual" });
  return { jobId: job.id };
}

/** Cancels one of the store's sync jobs; false when it was not queued or running. */
export async function cancelSyncJob(storeId: number, jobId: string): Promise<boolean> {
  return engineCancelSyncJob(storeId, jobId);
}
