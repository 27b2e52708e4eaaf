// Browser tests (tests/e2e): the demo stack (emulator + built app, tools/demo/stack.ts) driven through
// the emulator's admin shell with playwright-core and the system Chromium. One file at a time: each
// starts its own stack, and the machines have two cores.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) },
  },
  test: {
    include: ["tests/e2e/**/*.e2e.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // .ci/run counts every JSON report it finds (the unit/integration run writes VITEST_JSON itself).
    reporters: process.env.VITEST_JSON ? ["default", "json"] : ["default"],
    outputFile: process.env.VITEST_JSON ? { json: process.env.VITEST_JSON.replace(/\.json$/, ".e2e.json") } : undefined,
  },
});
