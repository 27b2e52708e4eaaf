// The app's webhook routes in a process of their own, so a test can kill it (SIGKILL) or cut its
// database from under it. Run with vite-node (the routes are found with import.meta.glob and the `~`
// alias, as in the test process): it serves on a free port and prints one JSON line, {"url": …}.
// The database is whatever DATABASE_URL the parent passes.
import { applyTestEnv } from "../../support/test-env";

applyTestEnv();
const { startAppServer } = await import("../../support/app-http");
const server = await startAppServer();
process.stdout.write(`${JSON.stringify({ url: server.url, pid: process.pid })}\n`);
