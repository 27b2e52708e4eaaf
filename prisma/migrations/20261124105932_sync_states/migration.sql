-- AlterTable
ALTER TABLE "shopify_sync_jobs" ADD COLUMN "bulkOperationId" TEXT;

-- CreateTable
CREATE TABLE "shopify_sync_states" (
    "storeId" INTEGER NOT NULL,
    "resource" TEXT NOT NULL,
    "updatedAtCursor" DATETIME,
    "lastFullSyncAt" DATETIME,
    "lastIncrementalAt" DATETIME,
    "lastReconciledAt" DATETIME,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("storeId", "resource"),
    CONSTRAINT "shopify_sync_states_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "shopify_sync_jobs_bulkOperationId_idx" ON "shopify_sync_jobs"("bulkOperationId");

