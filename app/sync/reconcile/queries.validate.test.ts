// tests/graphql-documents.test.ts skips documents with variables, so the reconcile documents are
// validated here against Shopify's 2026-10 Admin schema.
import { parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../../tools/admin-schema/admin-schema";
import * as queries from "./queries";

const schema = loadAdminSchema();

describe("reconcile queries", () => {
  it.each(Object.entries(queries))("%s validates against the 2026-10 Admin schema", (_name, document) => {
    expect(document.startsWith("#graphql\n")).toBe(true);
    expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
  });
});
