// Starts tests/webhooks/support/app-process.ts as a child process and waits for its URL.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

export interface ChildApp {
  url: string;
  child: ChildProcess;
  /** Settles when the process has exited. */
  exited: Promise<void>;
}

export async function startChildApp(env: Record<string, string>): Promise<ChildApp> {
  const child = spawn(
    process.execPath,
    ["node_modules/vite-node/vite-node.mjs", "--config", "vitest.config.ts", "tests/webhooks/support/app-process.ts"],
    { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app process did not start in 30 s: ${stderr}`)), 30_000);
    lines.on("line", (line) => {
      if (!line.startsWith("{")) return;
      clearTimeout(timer);
      resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once("exit", (code) => reject(new Error(`app process exited (${code}) before serving: ${stderr}`)));
  });
  return { url, child, exited };
}
