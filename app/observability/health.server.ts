import { db, databaseProvider } from "~/db.server";
import { logger } from "./logger.server";

/**
 * Whether the database answers. A failure is logged with its error and answered with a fixed text:
 * a driver's message can name hosts, users and database names, and /healthz is reachable by anyone.
 */
export async function checkHealth(
  ping: () => Promise<unknown> = () => db.$queryRawUnsafe("SELECT 1"),
): Promise<{ ok: boolean; database: string; error?: string }> {
  const database = databaseProvider();
  try {
    await ping();
    return { ok: true, database };
  } catch (error) {
    logger.error({ err: error, database }, "health:database unavailable");
    return { ok: false, database, error: "database unavailable" };
  }
}
