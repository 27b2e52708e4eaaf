// Every GraphQL document the app sends is a `#graphql` template literal under app/. Each must parse
// and validate against Shopify's official Admin schema for the pinned version (2026-10), so no query
// can ask for a field Shopify does not have. A document that spreads the shared fragments
// (app/admin-api/operations/fragments.ts, themselves `#graphql` literals) is validated with the
// fragment definitions it uses, as app/admin-api/operations/document.ts sends it.
import { readFileSync } from "node:fs";
import { globSync } from "node:fs";
import { Kind, parse, validate, visit, type FragmentDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { ADMIN_API_VERSION, loadAdminSchema } from "../tools/admin-schema/admin-schema";
import { apiVersion } from "../app/shopify.server";

function collectDocuments(): Array<{ file: string; source: string }> {
  const documents: Array<{ file: string; source: string }> = [];
  for (const file of globSync("app/**/*.{ts,tsx}")) {
    if (file.includes(".test.")) continue;
    const text = readFileSync(file, "utf8");
    for (const match of text.matchAll(/`#graphql\n([^`]*)`/g)) {
      documents.push({ file, source: match[1] ?? "" });
    }
    // Interpolation would make a document unvalidatable: values go in GraphQL variables.
    if (/`#graphql[^`]*\$\{/.test(text)) {
      throw new Error(`${file}: a #graphql document interpolates a value; use GraphQL variables`);
    }
  }
  return documents;
}

/** Each operation source followed by the fragment definitions it spreads (transitively). */
function withTheirFragments(sources: Array<{ file: string; source: string }>): Array<{ file: string; source: string }> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const operations: Array<{ file: string; source: string }> = [];
  for (const document of sources) {
    const definitions = parse(document.source).definitions;
    if (definitions.every((d) => d.kind === Kind.FRAGMENT_DEFINITION)) {
      for (const d of definitions) fragments.set(d.name.value, d);
    } else operations.push(document);
  }
  return operations.map(({ file, source }) => {
    const needed = new Set<string>();
    const visitSpreads = (node: Parameters<typeof visit>[0]) =>
      visit(node, {
        FragmentSpread: (spread) => {
          const fragment = fragments.get(spread.name.value);
          if (!fragment || needed.has(spread.name.value)) return;
          needed.add(spread.name.value);
          visitSpreads(fragment);
        },
      });
    visitSpreads(parse(source));
    const definitions = [...needed].map((name) => fragments.get(name)!.loc!.source.body);
    return { file, source: [source, ...new Set(definitions)].join("\n") };
  });
}

const documents = withTheirFragments(collectDocuments());
const schema = loadAdminSchema();

describe("GraphQL documents in app/", () => {
  it("are pinned to the schema version the app uses", () => {
    expect(apiVersion).toBe(ADMIN_API_VERSION);
  });

  it("exist (the scan found the app's operations)", () => {
    expect(documents.length).toBeGreaterThan(0);
  });

  it.each(
    documents.map((document) => [
      `${document.file}: ${document.source.match(/(query|mutation) (\w+)/)?.[2]}`,
      document,
    ]),
  )("%s validates against the 2026-10 Admin schema", (_name, document) => {
    const errors = validate(schema, parse(document.source)).map((error) => error.message);
    expect(errors).toEqual([]);
  });
});
