// Runs before each test file: test environment, a private database, and console.error as failure
// (an error logged is a bug the assertions did not see). The database is set up with top-level await,
// before the test file's imports run, because some modules (the session storage) touch it on import.
import { afterAll, inject, vi } from "vitest";
import { cloneDatabase, dropDatabase } from "../support/test-database";
import { applyTestEnv } from "../support/test-env";

applyTestEnv();

const fileDatabaseUrl = await cloneDatabase(inject("baseDatabaseUrl"), "file");
process.env.DATABASE_URL = fileDatabaseUrl;

afterAll(async () => {
  const { disconnectDatabase } = await import("../../app/db.server");
  await disconnectDatabase();
  await dropDatabase(fileDatabaseUrl);
});

vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
  throw new Error(`console.error was called: ${args.map(String).join(" ")}`);
});
