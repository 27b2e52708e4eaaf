// Production processes are started through npm: the web server by the image (Dockerfile CMD `npm run
// docker-start`, ending in `npm start`) and workers by `npm run worker`. The image starts the server through npm (Dockerfile CMD `npm run docker-start`, ending in
// `npm start`), and Docker stops a container by sending SIGTERM to that first process, npm. The server
// drains on SIGTERM (server.ts, docs/decisions/0028-ingest-overload-stalls-shutdown.md) only if the
// signal reaches it: npm passes it to the shell it runs the script in, and a shell waiting for its
// command died of it and left the server running, orphaned, to be killed with the container without
// draining. Scripts on the way now `exec` their last command (tests/dev-loop/dockerfile.test.ts).
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, type ServerProcess } from "../webhooks/support/server-process";

let server: ServerProcess | undefined;
let worker: ChildProcess | undefined;

afterAll(() => {
  // Whatever is left of the process groups npm started (before the fix: the orphaned processes).
  for (const pid of [server?.child.pid, worker?.pid]) {
    if (!pid) continue;
    try {
      process.kill(-pid, "SIGKILL");
    } catch {
      // the group has exited
    }
  }
});

/** Whether any process of the group `pid` leads is still alive. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

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

describe("`npm run worker` under SIGTERM", () => {
  it("passes the signal to the worker, which drains and exits; npm exits 0 and nothing of it is left", async () => {
    let output = "";
    worker = spawn("npm", ["run", "worker"], {
      env: { ...process.env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // a process group of its own, as above
    });
    const child = worker;
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | string>((resolve) =>
      child.once("exit", (code, signal) => resolve(signal ?? code ?? -1)),
    );
    const deadline = performance.now() + 60_000;
    while (!output.includes("worker started") && performance.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(output, output).toContain("worker started");

    child.kill("SIGTERM");
    const exit = await Promise.race([
      exited,
      new Promise((resolve) => setTimeout(() => resolve("still running after 30 s"), 30_000)),
    ]);
    expect(exit, output).toBe(0);
    expect(output).toContain("worker:shutting down");
    // Its processes are gone within moments (before the fix the orphaned worker ran on).
    const gone = performance.now() + 5_000;
    while (groupAlive(child.pid as number) && performance.now() < gone) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(groupAlive(child.pid as number)).toBe(false);
  }, 120_000);
});
