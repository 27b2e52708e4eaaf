-- AlterTable
ALTER TABLE "shopify_sync_jobs" ADD COLUMN "doneByUnit" JSONB;
ALTER TABLE "shopify_sync_jobs" ADD COLUMN "fileReadyAt" DATETIME;

