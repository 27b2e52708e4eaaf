// @ts-check
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      "build/",
      "public/build/",
      "app/generated/",
      "prisma/generated/",
      "tools/admin-schema/data/",
      "test-results/",
      ".cache/",
      "extensions/*/dist/",
      "extensions/*/shopify.d.ts", // written by the Shopify CLI
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { "react-hooks": reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
    },
  },
  {
    // App code parses Shopify's responses with zod instead of asserting shapes (style.md, point 1).
    // The emulator's internals and tests index their own data structures, where `!` after a lookup
    // that the surrounding code guarantees is clearer than a branch that cannot run.
    files: ["app/**/*.{ts,tsx}"],
    ignores: ["app/**/*.test.ts"],
    rules: { "@typescript-eslint/no-non-null-assertion": "error" },
  },
  {
    // Tenant isolation (docs/decisions/0005-tenant-isolation.md): shop data is reached only through
    // tenantDb(storeId). The raw client is for the data layer itself, sessions and store rows.
    files: ["app/**/*.{ts,tsx}"],
    ignores: [
      "app/db/**",
      "app/db.server.ts",
      "app/shopify.server.ts",
      "app/stores/**",
      "app/observability/**",
      // The job queue is infrastructure, not shop data: its own table and graphile-worker's SQL.
      "app/sync/queue/*.server.ts",
      "app/sync/embedded-worker.server.ts",
      // Background writers: batched upserts and webhook processing run for one store id they were
      // given by a job, and every statement carries it (checked by tests/tenant).
      "app/sync/writer/**",
      "app/sync/tasks/**",
      // Sync jobs and the full sync: background code that runs for the store id of a job row, and
      // whose every statement names it (triggers take the store id from an authenticated caller).
      "app/sync/jobs.server.ts",
      "app/sync/triggers.server.ts",
      "app/sync/full-sync/**",
      // Incremental sync and reconciliation: the same kind of background writer (one store id from
      // the job payload, named in every statement).
      "app/sync/incremental/**",
      "app/sync/reconcile/**",
      // One product's resync: the same writers, for the store id of an authenticated request.
      "app/sync/product-resync/**",
      "app/webhooks/**",
      // Privacy: erasure, export and retention name the store in every statement, except the
      // retention sweeps, which run across stores by design (docs/decisions/0017).
      "app/privacy/**",
      "app/**/*.test.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "~/db.server", message: "Use tenantDb(storeId) from ~/db/tenant.server for shop data." }],
        },
      ],
    },
  },
);
