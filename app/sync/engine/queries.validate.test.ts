// The repo-wide tests/graphql-documents.test.ts skips documents that use variables (its pattern
// stops at `$`), so every document here is validated here too.
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../../tools/admin-schema/admin-schema";
import { analyzeBulkQuery } from "../../../tools/shopify-emulator/src/bulk-operations/analyze";
import * as queries from "./queries";

const schema = loadAdminSchema();
const documents: Array<[string, string]> = Object.entries(queries as Record<string, unknown>).flatMap(
  ([name, value]): Array<[string, string]> => (typeof value === "string" ? [[name, value]] : []),
);

describe("queries", () => {
  it.each(documents)("%s validates against the 2026-10 Admin schema", (_name, document) => {
    expect(document.startsWith("#graphql\n")).toBe(true);
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });

  it.each(Object.entries(queries.BULK_QUERIES))("the %s bulk query passes Shopify's bulk rules", (_name, document) => {
    const analysis = analyzeBulkQuery(schema, document);
    expect(analysis.ok ? [] : analysis.userErrors).toEqual([]);
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
