// What a merchant can start from the UI or the API (shared by server and browser code).
import { z } from "zod";

export const SYNC_RESOURCES = ["products", "inventory", "orders"] as const;
export const SYNC_KINDS = ["full", "incremental"] as const;
export const JOB_STATUSES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;

export type SyncResource = (typeof SYNC_RESOURCES)[number];
export type SyncKind = (typeof SYNC_KINDS)[number];

export const syncResource = z.enum(SYNC_RESOURCES);
export const syncKind = z.enum(SYNC_KINDS);
