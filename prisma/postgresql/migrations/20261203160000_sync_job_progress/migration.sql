-- AlterTable
ALTER TABLE "shopify_sync_jobs" ADD COLUMN     "doneByUnit" JSONB,
ADD COLUMN     "fileReadyAt" TIMESTAMP(3);

