-- CreateTable
CREATE TABLE "job_queue" (
    "id" SERIAL NOT NULL,
    "taskIdentifier" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "queueName" TEXT,
    "jobKey" TEXT,
    "supersededKey" TEXT,
    "shop" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "runAt" TIMESTAMP(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 25,
    "lastError" TEXT,
    "lockedAt" TIMESTAMP(3),
    "lockedBy" TEXT,
    "failedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "job_queue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "job_queue_jobKey_key" ON "job_queue"("jobKey");

-- CreateIndex
CREATE INDEX "job_queue_runAt_idx" ON "job_queue"("runAt");

-- CreateIndex
CREATE INDEX "job_queue_queueName_lockedAt_idx" ON "job_queue"("queueName", "lockedAt");

-- CreateIndex
CREATE INDEX "job_queue_supersededKey_idx" ON "job_queue"("supersededKey");

