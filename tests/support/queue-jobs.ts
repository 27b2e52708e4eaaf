// What the queue holds under a job key, on either backend (tests only): the SQLite `job_queue` table
// or graphile-worker's `jobs` view. Jobs failed for good are left out.
// retriesDueNow brings scheduled retries forward, so a test need not wait out the backoff.
import { databaseProvider, db } from "~/db.server";

export interface KeyedJob {
  key: string;
  runAt: Date;
  attempts: number;
}

/** Waiting or running jobs whose key starts with `prefix`, by key. */
export async function jobsWithKeyPrefix(prefix: string): Promise<KeyedJob[]> {
  const rows =
    databaseProvider() === "postgresql"
      ? await db.$queryRaw<Array<{ key: string; runAt: Date; attempts: number }>>`
          SELECT key, run_at AS "runAt", attempts FROM graphile_worker.jobs
          WHERE key LIKE ${`${prefix}%`} AND attempts < max_attempts`
      : await db.$queryRaw<Array<{ key: string; runAt: Date | string; attempts: number | bigint }>>`
          SELECT jobKey AS key, runAt, attempts FROM job_queue
          WHERE jobKey LIKE ${`${prefix}%`} AND failedAt IS NULL`;
  return rows
    .map((row) => ({ key: row.key, runAt: new Date(row.runAt), attempts: Number(row.attempts) }))
    .sort((a, b) => a.key.localeCompare(b.key));
}

/** Removes the jobs under these keys, as if they had been lost. */
export async function removeJobsWithKeyPrefix(prefix: string): Promise<void> {
  for (const { key } of await jobsWithKeyPrefix(prefix)) {
    if (databaseProvider() === "postgresql") await db.$queryRaw`SELECT graphile_worker.remove_job(${key})`;
    else await db.$executeRaw`DELETE FROM job_queue WHERE jobKey = ${key}`;
  }
}

/** Brings every scheduled retry forward to now (the test does not wait out the backoff). */
export async function retriesDueNow(): Promise<void> {
  await db.$executeRawUnsafe(
    databaseProvider() === "postgresql"
      ? `UPDATE graphile_worker._private_jobs SET run_at = now() WHERE locked_at IS NULL`
      : `UPDATE job_queue SET runAt = '${new Date(0).toISOString()}' WHERE lockedAt IS NULL`,
  );
}
