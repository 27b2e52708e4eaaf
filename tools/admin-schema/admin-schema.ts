// Loads Shopify's official Admin GraphQL schema (introspection JSON from @shopify/dev-mcp, extracted by
// fetch-admin-schema.mjs at setup). Used by the emulator to execute queries and by tests that validate
// every GraphQL document the app sends. Loaded, never retyped.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const ADMIN_API_VERSION = "2026-10";

const schemaFile = join(dirname(fileURLToPath(import.meta.url)), "data", `admin_${ADMIN_API_VERSION}.json.gz`);

let cached: GraphQLSchema | undefined;

export function loadAdminSchema(): GraphQLSchema {
  if (cached) return cached;
  let raw: Buffer;
  try {
    raw = readFileSync(schemaFile);
  } catch (cause) {
    throw new Error(
      `Shopify's Admin schema is missing at ${schemaFile}: run \`npm run setup\` (or \`node tools/admin-schema/fetch-admin-schema.mjs\`).`,
      { cause },
    );
  }
  const parsed = JSON.parse(gunzipSync(raw).toString("utf8")) as { data: IntrospectionQuery };
  cached = buildClientSchema(parsed.data);
  return cached;
}
