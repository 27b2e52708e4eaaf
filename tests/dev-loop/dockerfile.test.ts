// Docker is not available where the tests run, so this holds the Dockerfile to the commands CI runs
// (.ci/run and the browser tests' stack, tools/demo/stack.ts) and to package.json's scripts: the
// image installs, sets up, builds and starts the app the way CI proves works (docs/decisions/0025).
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ROOT } from "./support";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const scripts = z.object({ scripts: z.record(z.string()) }).parse(JSON.parse(read("package.json"))).scripts;

interface Instruction {
  keyword: string;
  args: string;
}

/** The Dockerfile's instructions, with comments dropped and continued lines joined. */
function instructions(text: string): Instruction[] {
  const lines = text
    .split("\n")
    .filter((line) => !line.trimStart().startsWith("#"))
    .join("\n")
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.map((line) => {
    const [keyword = "", ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
  });
}

/** The commands of a shell line joined by `&&`, each with its whitespace normalised. */
const commandsOf = (line: string) => line.split("&&").map((command) => command.trim().replace(/\s+/g, " "));

/** `npm run X && npm run Y` → the scripts' own commands, recursively (what `npm run` executes). */
function expandScripts(command: string): string[] {
  // `exec npm run X`: the shell npm runs a script in gives way to X (see the signal test below).
  const script = /^(?:exec )?npm run (\S+)$/.exec(command)?.[1];
  if (!script) return [command];
  const body = scripts[script];
  if (body === undefined) throw new Error(`package.json has no script "${script}"`);
  return commandsOf(body).flatMap(expandScripts);
}

const dockerfile = instructions(read("Dockerfile"));
const runCommands = dockerfile.filter((i) => i.keyword === "RUN").flatMap((i) => commandsOf(i.args));
const cmd = z.array(z.string()).parse(JSON.parse(dockerfile.find((i) => i.keyword === "CMD")?.args ?? "null"));

/** CI's own npm commands, top level of .ci/run, without the optional `--nodedir` it adds on some machines. */
const ciCommands = read(".ci/run")
  .split("\n")
  .filter((line) => /^npm (install|run) /.test(line))
  .map((line) => line.replace(/\$\{npm_config_nodedir:\+[^}]*\}/, "").trim());

describe("Dockerfile", () => {
  it("installs packages and sets up with CI's own commands, in CI's order", () => {
    expect(ciCommands).toEqual(["npm install --no-audit --no-fund", "npm run setup"]);
    const positions = ciCommands.map((command) => runCommands.indexOf(command));
    expect(
      positions.every((position) => position >= 0),
      JSON.stringify(runCommands),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it("builds with `npm run build`, after setup, as the browser tests' stack builds before it starts", () => {
    expect(runCommands.indexOf("npm run build")).toBeGreaterThan(runCommands.indexOf("npm run setup"));
    expect(read("tools/demo/stack.ts")).toMatch(/run\(npm, \["run", "build"\]/);
  });

  it("starts with `npm run docker-start`: setup (migrations against the container's database), then `npm start`", () => {
    expect(cmd).toEqual(["npm", "run", "docker-start"]);
    expect(expandScripts("npm run docker-start")).toEqual([...expandScripts("npm run setup"), "exec tsx server.ts"]);
    // The server the browser tests run (tools/demo/stack.ts starts server.ts, which serves the build).
    expect(read("tools/demo/stack.ts")).toMatch(/\["--import", "tsx", "server\.ts"\]/);
  });

  it("hands Docker's SIGTERM to the server: every shell on the way to it is replaced by `exec`", () => {
    // npm runs a script with `sh -c`, and passes a signal to that shell; a shell waiting for its command
    // dies of SIGTERM without passing it on, and the server, orphaned, is then killed with the
    // container instead of draining (tests/dev-loop/production-start.test.ts shows `npm start` drains).
    expect(commandsOf(scripts["docker-start"] ?? "").at(-1)).toBe("exec npm run start");
    expect(commandsOf(scripts.start ?? "")).toEqual(["exec tsx server.ts"]);
    // Workers (`npm run worker`) are stopped the same way by whatever runs them.
    expect(commandsOf(scripts.worker ?? "")).toEqual(["exec tsx worker.ts"]);
  });

  it("names only scripts package.json has", () => {
    const named = [...runCommands, cmd.join(" ")].flatMap((command) => [...command.matchAll(/npm run (\S+)/g)]);
    expect(named.length).toBeGreaterThan(0);
    for (const [, script] of named) expect(scripts, `npm run ${script}`).toHaveProperty([script as string]);
  });

  it("sets NODE_ENV=production only after installing (npm would otherwise skip the packages the build needs)", () => {
    const install = dockerfile.findIndex((i) => i.keyword === "RUN" && i.args.includes("npm install"));
    const production = dockerfile.findIndex((i) => i.keyword === "ENV" && /NODE_ENV=production/.test(i.args));
    expect(install).toBeGreaterThanOrEqual(0);
    expect(production).toBeGreaterThan(install);
  });

  it("copies the lockfile and .npmrc (the heap limit, ADR 0014) before installing", () => {
    const copy = dockerfile.find((i) => i.keyword === "COPY" && i.args.includes("package-lock.json"));
    expect(copy?.args.split(/\s+/)).toEqual(["package.json", "package-lock.json", ".npmrc", "./"]);
  });
});

describe(".dockerignore", () => {
  const patterns = read(".dockerignore")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));

  it("keeps a checkout's packages, builds, databases and secrets out of the image", () => {
    for (const pattern of ["node_modules", "build", ".env", "*.sqlite", "prisma/generated", "test-results"]) {
      expect(patterns).toContain(pattern);
    }
  });

  it("keeps everything the build and start need", () => {
    for (const needed of ["package-lock.json", ".npmrc", "app", "public", "prisma", "tools", "vite.config.ts"]) {
      expect(patterns).not.toContain(needed);
    }
  });
});
