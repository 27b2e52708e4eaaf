// The product block is built by the real Shopify CLI (`shopify app build`, @shopify/cli pinned in
// package.json; it runs offline): the bundle registers for its target, is Preact (not React) and fits
// Shopify's 64 KB limit for a UI extension's compiled bundle.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = path.join(ROOT, "extensions/product-sync-status/dist/product-sync-status.js");

it("shopify app build bundles the product block for admin.product-details.block.render", () => {
  rmSync(DIST, { force: true });
  const build = spawnSync(process.execPath, [path.join(ROOT, "node_modules/@shopify/cli/bin/run.js"), "app", "build"], {
    cwd: ROOT,
    env: { ...process.env, CI: "1", SHOPIFY_CLI_NO_ANALYTICS: "1" },
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(build.status, `${build.stdout}\n${build.stderr}`).toBe(0);
  expect(build.stdout).toContain("product-sync-status successfully built");

  const bundle = readFileSync(DIST, "utf8");
  expect(bundle).toContain('shopify.extend("admin.product-details.block.render"');
  expect(bundle).toContain("/sync-status"); // the block's own code, not only the runtime
  expect(bundle).not.toContain("react.element"); // JSX compiled for Preact (extensions/…/tsconfig.json)
  expect(statSync(DIST).size).toBeLessThan(64 * 1024);
}, 150_000);
