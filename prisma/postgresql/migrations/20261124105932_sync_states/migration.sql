-- AlterTable
ALTER TABLE "shopify_sync_jobs" ADD COLUMN     "bulkOperationId" TEXT;

-- CreateTable
CREATE TABLE "shopify_sync_states" (
    "storeId" INTEGER NOT NULL,
    "resource" TEXT NOT NULL,
    "updatedAtCursor" TIMESTAMP(3),
    "lastFullSyncAt" TIMESTAMP(3),
    "lastIncrementalAt" TIMESTAMP(3),
    "lastReconciledAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shopify_sync_states_pkey" PRIMARY KEY ("storeId","resource")
);

-- CreateIndex
CREATE INDEX "shopify_sync_jobs_bulkOperationId_idx" ON "shopify_sync_jobs"("bulkOperationId");

-- AddForeignKey
ALTER TABLE "shopify_sync_states" ADD CONSTRAINT "shopify_sync_states_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

