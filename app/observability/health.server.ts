import { db, databaseProvider } from "~/db.server";

export async function checkHealth(): Promise<{ ok: boolean; database: string; error?: string }> {
  try {
    await db.$queryRawUnsafe("SELECT 1");
    return { ok: true, database: databaseProvider() };
  } catch (error) {
    return { ok: false, database: databaseProvider(), error: error instanceof Error ? error.message : String(error) };
  }
}
