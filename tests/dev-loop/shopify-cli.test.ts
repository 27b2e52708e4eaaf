// The Shopify CLI pinned in package.json, run on this project as a developer runs it, offline
// (docs/decisions/0025-shopify-app-dev-loop.md): `shopify app build` succeeds; the CLI finds a
// launchable web in shopify.web.toml; `npm run dev` gets as far as logging in to Shopify; the
// template's npm scripts reach their CLI commands.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { HMR_PATH } from "../../tools/dev/vite-hmr";
import { topicOfWebhookPath } from "../../app/webhooks/topics";
import { freshCliEnv, ROOT, runCommand } from "./support";

const packageJson = z
  .object({ scripts: z.record(z.string()), devDependencies: z.record(z.string()) })
  .parse(JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")));

const webToml = z
  .object({
    roles: z.array(z.string()),
    webhooks_path: z.string(),
    commands: z.object({ dev: z.string(), predev: z.string().optional() }),
    hmr_server: z.object({ http_paths: z.array(z.string()) }),
  })
  .parse(parse(readFileSync(path.join(ROOT, "shopify.web.toml"), "utf8")));

const appToml = z
  .object({
    webhooks: z.object({
      subscriptions: z.array(z.object({ topics: z.array(z.string()).optional(), uri: z.string() })),
    }),
  })
  .parse(parse(readFileSync(path.join(ROOT, "shopify.app.toml"), "utf8")));

// What the CLI prints when it cannot reach Shopify's login (offline) or asks the developer to log in
// (online): either way it got past loading the project and stopped at authentication.
const LOGIN_STEP = /accounts\.shopify\.com|log in|verification code/i;
// What it prints when the project itself is at fault.
const PROJECT_ERRORS =
  /Could not find|Couldn't find|Invalid|Unsupported section|Validation error|launchable|not a valid/i;

describe("the pinned Shopify CLI on this project", () => {
  it("is the version package.json pins, installed by npm install", () => {
    const installed = z
      .object({ version: z.string() })
      .parse(JSON.parse(readFileSync(path.join(ROOT, "node_modules/@shopify/cli/package.json"), "utf8")));
    expect(packageJson.devDependencies["@shopify/cli"]).toBe("4.8.2");
    expect(installed.version).toBe("4.8.2");
  });

  it("`shopify app build` succeeds offline", async () => {
    const build = runCommand("npm", ["run", "shopify", "--", "app", "build", "--path", ROOT], freshCliEnv());
    const code = await build.exit();
    expect(build.output()).toMatch(/shop-sync built!/);
    expect(code).toBe(0);
  }, 120_000);

  it("`shopify app build` checks shopify.web.toml: the same project with a web lacking its dev command fails", async () => {
    // So the success above covers this project's web configuration, not only its app configuration.
    const copy = mkdtempSync(path.join(tmpdir(), "shop-sync-cli-project-"));
    try {
      for (const file of ["shopify.app.toml", "package.json"])
        copyFileSync(path.join(ROOT, file), path.join(copy, file));
      const web = readFileSync(path.join(ROOT, "shopify.web.toml"), "utf8");
      writeFileSync(path.join(copy, "shopify.web.toml"), web.replace(/^dev = .*$/m, ""));
      const build = runCommand("npm", ["run", "shopify", "--", "app", "build", "--path", copy], freshCliEnv());
      const code = await build.exit();
      expect(build.output()).toMatch(/Validation error in \S*shopify\.web\.toml:[\s\S]*\[commands\.dev\]: Required/);
      expect(code).not.toBe(0);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 120_000);

  it("loads shopify.web.toml with the CLI's own schema and finds the app launchable", async () => {
    // The CLI's code that decides, when it links or creates an app, whether the project has a web it
    // can launch (a web with the frontend or backend role, App#appIsLaunchable): it throws on a web
    // whose file does not match the CLI's web schema. It is not a public API; the CLI is pinned to
    // 4.8.2 exactly, and this import fails loudly when an upgrade moves it.
    const cli = (await import(path.join(ROOT, "node_modules/@shopify/cli/dist/chunk-7LW23M5C.js"))) as {
      C: (directory: string, name: string) => Promise<{ isLaunchable: boolean; isEmbedded: boolean }>;
    };
    const options = await cli.C(ROOT, "shop-sync");
    expect(options).toMatchObject({ isLaunchable: true, isEmbedded: true });
  });

  it("declares one web with both roles, whose commands and paths exist in this project", () => {
    expect(webToml.roles).toEqual(["frontend", "backend"]);

    // The CLI splits the dev command on "&&" and spaces and runs it without a shell: one npm script.
    expect(webToml.commands.predev).toBe("npm run db:generate");
    expect(packageJson.scripts["db:generate"]).toMatch(/^prisma generate/);
    expect(webToml.commands.dev).toBe("npm run dev:app");
    expect(packageJson.scripts["dev:app"]).toBe("prisma migrate deploy && exec tsx server.ts --dev");

    // The CLI delivers APP_UNINSTALLED here: the path of that topic, which the app's server hands to ingest.
    const uninstalled = appToml.webhooks.subscriptions.find((s) => s.topics?.includes("app/uninstalled"));
    expect(webToml.webhooks_path).toBe(uninstalled?.uri);
    expect(topicOfWebhookPath(webToml.webhooks_path)).toBe("app/uninstalled");

    // The HMR client's path is one the CLI's proxy sends to the HMR server.
    expect(webToml.hmr_server.http_paths).toContain(HMR_PATH);
  });

  // `shopify app dev` logs in before it loads the project (CLI 4.8.2), so offline this proves the
  // script starts the pinned CLI's dev command; the project's validity is the build's test above.
  it("`npm run dev` starts `shopify app dev`, which stops at logging in to Shopify", async () => {
    const dev = runCommand("npm", ["run", "dev"], freshCliEnv({ CI: "1" }));
    try {
      const { matched } = await dev.waitFor(LOGIN_STEP, 90_000);
      expect(dev.output()).toContain("shopify app dev");
      expect(matched, dev.output()).toBe(true);
      expect(dev.output()).not.toMatch(PROJECT_ERRORS);
    } finally {
      await dev.stop();
    }
  }, 120_000);

  it.each([
    ["deploy", "shopify app deploy"],
    ["config:link", "shopify app config link"],
    ["config:use", "shopify app config use"],
    ["generate", "shopify app generate"],
    ["env", "shopify app env"],
  ])("`npm run %s` runs `%s`", async (script, command) => {
    const run = runCommand("npm", ["run", "-s", script, "--", "--help"], freshCliEnv());
    const code = await run.exit();
    expect(run.output()).toContain(`$ ${command}`);
    expect(code).toBe(0);
  });
});

// The product block, built by the same CLI. In this file rather than its own so that no two `shopify app
// build` runs on this project at once (they write the same dist folders).
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
