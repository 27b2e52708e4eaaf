// The app's own server (server.ts, `npm start`) in a child process, on the production build (built
// first when older than its sources), on a free port and the database the caller gives. For the tests
// that need the real process: SIGTERM drain, a database stalled under it.
import { spawn, type ChildProcess } from "node:child_process";
import { buildAppIfStale, freePort, ROOT } from "../../../tools/demo/stack";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  exited: Promise<number | string>;
}

/**
 * `via: "npm start"` starts it as production does (package.json's `start`, through npm and tsx), so
 * that signals sent to the process take the same way as Docker's.
 */
export async function startServerProcess(
  env: Record<string, string>,
  { via = "node" }: { via?: "node" | "npm start" } = {},
): Promise<ServerProcess> {
  buildAppIfStale({ ...process.env, NODE_ENV: "production" }, () => undefined);
  const port = await freePort();
  const [command, args] =
    via === "npm start" ? ["npm", ["start"]] : [process.execPath, ["--import", "tsx", "server.ts"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    // Through npm: a process group of its own, so that a test can end every process npm started.
    detached: via === "npm start",
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code ?? -1)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server.ts did not start in 60 s:\n${output}`)), 60_000);
    const check = () => {
      if (!/Local:\s+http:\/\/localhost:\d+/.test(output)) return;
      clearTimeout(timer);
      child.stdout?.off("data", check);
      resolve();
    };
    child.stdout?.on("data", check);
    void exited.then((code) => reject(new Error(`server.ts exited (${code}) before serving:\n${output}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child, output: () => output, exited };
}
