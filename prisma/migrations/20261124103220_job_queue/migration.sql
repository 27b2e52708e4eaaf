-- CreateTable
CREATE TABLE "job_queue" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "taskIdentifier" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "queueName" TEXT,
    "jobKey" TEXT,
    "supersededKey" TEXT,
    "shop" TEXT,
    "priority" INTEGER NOT NULL DEFAULT 0,
    "runAt" DATETIME NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "maxAttempts" INTEGER NOT NULL DEFAULT 25,
    "lastError" TEXT,
    "lockedAt" DATETIME,
    "lockedBy" TEXT,
    "failedAt" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "job_queue_jobKey_key" ON "job_queue"("jobKey");

-- CreateIndex
CREATE INDEX "job_queue_runAt_idx" ON "job_queue"("runAt");

-- CreateIndex
CREATE INDEX "job_queue_queueName_lockedAt_idx" ON "job_queue"("queueName", "lockedAt");

-- CreateIndex
CREATE INDEX "job_queue_supersededKey_idx" ON "job_queue"("supersededKey");

