// Runs the project's commands (the Shopify CLI, npm scripts) as a developer does, for the dev-loop
// tests: each in a process group of its own, so stopping it stops what it started (npm → sh → vite).
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { stripVTControlCharacters } from "node:util";
import { ROOT } from "../../tools/demo/stack";

export { ROOT };

export interface RunningCommand {
  readonly child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  /** Resolves when the output matches, or the command exits (then `exited` is set), or the time runs out. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<{ matched: boolean; exited: boolean }>;
  /** Stops the command and everything it started; resolves with its exit code (null if killed). */
  stop(): Promise<number | null>;
  /** Resolves with the exit code once the command ends by itself. */
  exit(): Promise<number | null>;
}

/**
 * An environment with no Shopify CLI state: a HOME of its own (no cached Partner login, no CLI
 * config), no CI detection quirks, no analytics.
 */
export function freshCliEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = mkdtempSync(path.join(tmpdir(), "shop-sync-cli-home-"));
  return {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
    XDG_DATA_HOME: path.join(home, ".local/share"),
    XDG_STATE_HOME: path.join(home, ".local/state"),
    npm_config_cache: path.join(home, ".npm"),
    SHOPIFY_CLI_NO_ANALYTICS: "1",
    ...extra,
  };
}

export function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): RunningCommand {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  let text = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    // Without colour codes: CI forces colour on (FORCE_COLOR), and Vite then prints "Local" and ":"
    // with an escape code between them, which no pattern about the text would expect.
    text += stripVTControlCharacters(chunk.toString("utf8"));
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  exited.then(() => listeners.forEach((listener) => listener()));

  return {
    child,
    output: () => text,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve) => {
        const done = (result: { matched: boolean; exited: boolean }) => {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(result);
        };
        const check = () => {
          if (pattern.test(text)) done({ matched: true, exited: child.exitCode !== null });
          else if (child.exitCode !== null || child.signalCode !== null) done({ matched: false, exited: true });
        };
        const timer = setTimeout(() => done({ matched: false, exited: false }), timeoutMs);
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, "SIGTERM");
        } catch {
          // the group is gone already
        }
        const timer = setTimeout(() => {
          try {
            if (child.pid) process.kill(-child.pid, "SIGKILL");
          } catch {
            // gone
          }
        }, 5_000);
        await exited;
        clearTimeout(timer);
      }
      return exited;
    },
    exit: () => exited,
  };
}
