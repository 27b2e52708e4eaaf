-- At most one unfinished (queued or running) sync job per store, kind and resource: two concurrent
-- "sync now" requests could both insert one at READ COMMITTED, and the one whose queue job the job
-- key replaced stayed queued forever (issue #12, docs/decisions/0022). A partial unique index, which
-- the Prisma schema cannot express: it lives in this migration only (see the model's comment).

-- Existing duplicates: the newest row of each group is the one its queue job runs, the others are
-- orphans, cancelled so the index can be built.
UPDATE "shopify_sync_jobs"
SET "status" = 'cancelled', "error" = 'superseded by a newer unfinished sync job', "finishedAt" = "updatedAt"
WHERE "status" IN ('queued', 'running') AND EXISTS (
  SELECT 1 FROM "shopify_sync_jobs" AS "newer"
  WHERE "newer"."storeId" = "shopify_sync_jobs"."storeId"
    AND "newer"."kind" = "shopify_sync_jobs"."kind"
    AND "newer"."resource" = "shopify_sync_jobs"."resource"
    AND "newer"."status" IN ('queued', 'running')
    AND ("newer"."createdAt" > "shopify_sync_jobs"."createdAt"
      OR ("newer"."createdAt" = "shopify_sync_jobs"."createdAt" AND "newer"."id" > "shopify_sync_jobs"."id"))
);

-- CreateIndex
CREATE UNIQUE INDEX "shopify_sync_jobs_one_unfinished_idx" ON "shopify_sync_jobs"("storeId", "kind", "resource")
WHERE "status" IN ('queued', 'running');
