// Two "sync now" requests at the same moment (two tabs, a double click, the API and the CLI) start
// one sync (issue #12, item 6). Before the database enforced it, both requests' transactions (READ
// COMMITTED on PostgreSQL) saw no unfinished job, both created a row, and the job key kept only the
// second row's queue job: the first row stayed `queued` forever and every later request joined it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { databaseProvider, db } from "~/db.server";
import { requestSync } from "~/sync/triggers.server";
import { migrateQueue, queueDepth } from "~/sync/queue/queue.server";

let storeId: number;

beforeEach(async () => {
  await migrateQueue();
  storeId = (await db.shopifyStore.create({ data: { shop: "race.myshopify.com", name: "Race", currencyCode: "USD" } }))
    .id;
});

afterEach(async () => {
  await db.shopifyStore.deleteMany();
  if (databaseProvider() === "postgresql") await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
  else await db.$executeRawUnsafe("DELETE FROM job_queue");
});

describe("requestSync under concurrency", () => {
  it("concurrent requests for one resource make one sync job row and one queue job, which all of them return", async () => {
    for (let round = 0; round < 5; round += 1) {
      const results = await Promise.all(
        Array.from({ length: 8 }, () => requestSync(storeId, { kind: "full", resource: "products" })),
      );
      const unfinished = await db.shopifySyncJob.findMany({
        where: { storeId, kind: "full", resource: "products", status: { in: ["queued", "running"] } },
      });
      expect(unfinished).toHaveLength(1);
      expect(new Set(results.map((result) => result.job.id))).toEqual(new Set([unfinished[0]?.id]));
      expect(results.filter((result) => result.created)).toHaveLength(1);
      expect(await queueDepth()).toMatchObject({ ready: 1 });
      // The next round starts from a finished sync.
      await db.shopifySyncJob.updateMany({ where: { storeId }, data: { status: "succeeded" } });
      if (databaseProvider() === "postgresql") await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
      else await db.$executeRawUnsafe("DELETE FROM job_queue");
    }
  });

  it("the database refuses a second unfinished sync job row for the same store, kind and resource", async () => {
    const row = { storeId, kind: "full", resource: "orders", trigger: "manual" };
    await db.shopifySyncJob.create({ data: { ...row, status: "queued" } });
    await expect(db.shopifySyncJob.create({ data: { ...row, status: "running" } })).rejects.toThrow(
      /Unique constraint/,
    );
    // Finished rows are history: any number of them.
    await db.shopifySyncJob.create({ data: { ...row, status: "succeeded" } });
    await db.shopifySyncJob.create({ data: { ...row, status: "failed" } });
    expect(await db.shopifySyncJob.count({ where: { storeId } })).toBe(3);
  });
});
