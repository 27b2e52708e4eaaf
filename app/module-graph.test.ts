// The app's modules form no import cycle (static or dynamic imports) and never import tools/ (the
// emulator, the CLIs): app/ runs without them. Read by madge from the sources, as the TypeScript
// paths in tsconfig.json resolve them. Test files and test helpers (*.test.ts, *.testing.ts) may use
// tools/ (engine tests compare with the emulator's views).
import path from "node:path";
import madge from "madge";
import { describe, expect, it } from "vitest";

const root = path.resolve("app");
const isTestFile = (file: string) => /\.(test|testing)\.tsx?$/.test(file);

async function appGraph() {
  const result = await madge(root, {
    fileExtensions: ["ts", "tsx"],
    tsConfig: path.resolve("tsconfig.json"),
    excludeRegExp: [/\.(test|testing)\.tsx?$/],
  });
  return result;
}

describe("app/ module graph", () => {
  it("has no import cycle among app/ modules", async () => {
    const graph = await appGraph();
    // madge names files relative to app/; anything outside it starts with "../".
    const cycles = graph.circular().filter((cycle) => cycle.every((file) => !file.startsWith("../")));
    expect(cycles).toEqual([]);
  }, 60_000);

  it("has no app/ module that imports tools/", async () => {
    const graph = await appGraph();
    const offenders = Object.entries(graph.obj())
      .filter(([file]) => !file.startsWith("../") && !isTestFile(file))
      .flatMap(([file, imports]) =>
        imports.filter((target) => target.startsWith("../tools/")).map((t) => `${file} → ${t}`),
      );
    expect(offenders).toEqual([]);
  }, 60_000);
});
