// Every document the app sends, as sent (fragments added or written out), validated against
// Shopify's 2026-10 Admin schema; the bulk queries also against Shopify's bulk rules as the emulator
// applies them. tests/graphql-documents.test.ts checks the sources in every app file as well.
import { Kind, parse, validate, visit } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../../tools/admin-schema/admin-schema";
import { analyzeBulkQuery } from "../../../tools/shopify-emulator/src/testing";
import * as fragments from "./fragments";
import * as queries from "./index";

const schema = loadAdminSchema();
const documents: Array<[string, string]> = Object.entries(queries as Record<string, unknown>).flatMap(
  ([name, value]): Array<[string, string]> => (typeof value === "string" ? [[name, value]] : []),
);

function spreads(document: string): string[] {
  const names: string[] = [];
  visit(parse(document), { FragmentSpread: (node) => void names.push(node.name.value) });
  return names;
}

describe("queries", () => {
  it.each(documents)("%s validates against the 2026-10 Admin schema", (_name, document) => {
    expect(document.startsWith("#graphql\n")).toBe(true);
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });

  it.each(Object.entries(queries.BULK_QUERIES))("the %s bulk query passes Shopify's bulk rules", (_name, document) => {
    const analysis = analyzeBulkQuery(schema, document);
    expect(analysis.ok ? [] : analysis.userErrors).toEqual([]);
  });

  it.each(Object.entries(queries.BULK_QUERIES))(
    "the %s bulk query holds no fragments (ADR 0036)",
    (_name, document) => {
      expect(parse(document).definitions.map((d) => d.kind)).toEqual([Kind.OPERATION_DEFINITION]);
      expect(spreads(document)).toEqual([]);
    },
  );

  it("every shared fragment is used by a document", () => {
    const names = (document: string) =>
      parse(document).definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [d.name.value] : []));
    const used = new Set(documents.flatMap(([, document]) => names(document)));
    expect(used).toEqual(new Set(Object.values(fragments).flatMap(names)));
  });

  it("withRootSearch sets the top-level search, escaped, and nothing else", () => {
    const filtered = queries.withRootSearch(queries.ORDERS_BULK_QUERY, `created_at:>='2026-01-01' "x"`);
    expect(filtered).toContain(`orders(sortKey: UPDATED_AT, query: "created_at:>='2026-01-01' \\"x\\"")`);
    expect(filtered.match(/query:/g)).toHaveLength(1);
    expect(validate(schema, parse(filtered))).toEqual([]);
    expect(analyzeBulkQuery(schema, filtered).ok).toBe(true);
    const replaced = queries.withRootSearch(filtered, "status:open");
    expect(replaced).toContain('orders(sortKey: UPDATED_AT, query: "status:open")');
  });
});
