// The production image starts the server through npm (Dockerfile CMD `npm run docker-start`, ending in
// `npm start`), and Docker stops a container by sending SIGTERM to that first process, npm. The server
// drains on SIGTERM (server.ts, docs/decisions/0028-ingest-overload-stalls-shutdown.md) only if the
// signal reaches it: npm passes it to the shell it runs the script in, and a shell waiting for its
// command died of it and left the server running, orphaned, to be killed with the container without
// draining. Scripts on the way now `exec` their last command (tests/dev-loop/dockerfile.test.ts).
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../webhooks/support/server-process";

let server: ServerProcess | undefined;

afterAll(() => {
  // Whatever is left of the process group npm started (before the fix: the orphaned server).
  if (server?.child.pid) {
    try {
      process.kill(-server.child.pid, "SIGKILL");
    } catch {
      // the group has exited
    }
  }
});

describe("`npm start` under Docker's SIGTERM", () => {
  it("passes the signal to the server, which drains and exits; npm exits 0", async () => {
    server = await startServerProcess(
      { DATABASE_URL: process.env.DATABASE_URL as string, WORKER_IN_WEB_PROCESS: "false" },
      { via: "npm start" },
    );
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    server.child.kill("SIGTERM"); // npm's own process, as Docker signals the container's first process
    const exit = await Promise.race([
      server.exited,
      new Promise((resolve) => setTimeout(() => resolve("still running after 30 s"), 30_000)),
    ]);
    expect(exit).toBe(0);
    expect(server.output()).toContain("[server] SIGTERM: draining");
    expect(server.output()).toContain("[server] drained; exiting");
    // Nothing of it still serves.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  }, 120_000);
});
