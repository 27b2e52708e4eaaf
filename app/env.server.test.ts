import { describe, expect, it } from "vitest";
import { InvalidEnvironmentError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "http://localhost:3000",
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
};

function issuesOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.issues;
    throw error;
  }
  return [];
}

describe("parseEnv", () => {
  it("accepts .env.example-style values and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.SCOPES).toEqual(["read_products", "read_inventory", "read_locations", "read_orders"]);
    expect(env.TOKEN_ENCRYPTION_KEYS).toHaveLength(1);
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.PORT).toBe(3000);
  });

  it("names a missing variable", () => {
    const { SHOPIFY_API_SECRET: _omitted, ...rest } = valid;
    expect(issuesOf(rest).join("\n")).toMatch(/^SHOPIFY_API_SECRET: /m);
  });

  it("names a malformed variable and says why", () => {
    expect(issuesOf({ ...valid, SHOPIFY_APP_URL: "not a url" }).join()).toMatch(/SHOPIFY_APP_URL/);
    expect(issuesOf({ ...valid, DATABASE_URL: "mysql://x" }).join()).toMatch(/DATABASE_URL: must start with file:/);
    expect(issuesOf({ ...valid, TOKEN_ENCRYPTION_KEYS: "k1:c2hvcnQ=" }).join()).toMatch(
      /TOKEN_ENCRYPTION_KEYS: key "k1" must be 32 random bytes/,
    );
    expect(issuesOf({ ...valid, TOKEN_ENCRYPTION_KEYS: "no-colon" }).join()).toMatch(/is not id:base64key/);
  });

  it("parses several keys in order, newest last, and refuses duplicate ids", () => {
    const k = Buffer.alloc(32, 1).toString("base64");
    expect(
      parseEnv({ ...valid, TOKEN_ENCRYPTION_KEYS: `a:${k}, b:${k}` }).TOKEN_ENCRYPTION_KEYS.map((x) => x.id),
    ).toEqual(["a", "b"]);
    expect(issuesOf({ ...valid, TOKEN_ENCRYPTION_KEYS: `a:${k},a:${k}` }).join()).toMatch(/unique/);
  });

  it("takes the customer-data level and level 2's fields, and refuses combinations that make no sense", () => {
    expect(parseEnv(valid).customerData).toEqual({ level: "level2", fields: ["name", "email", "phone", "address"] });
    expect(parseEnv({ ...valid, CUSTOMER_DATA_LEVEL: "level1" }).customerData).toEqual({ level: "level1", fields: [] });
    expect(
      parseEnv({ ...valid, CUSTOMER_DATA_LEVEL: "level2", CUSTOMER_DATA_FIELDS: "email, name" }).customerData,
    ).toEqual({ level: "level2", fields: ["name", "email"] });
    expect(issuesOf({ ...valid, CUSTOMER_DATA_LEVEL: "level3" }).join()).toMatch(/^CUSTOMER_DATA_LEVEL: /);
    expect(issuesOf({ ...valid, CUSTOMER_DATA_FIELDS: "email,birthday" }).join()).toMatch(/^CUSTOMER_DATA_FIELDS\./);
    expect(issuesOf({ ...valid, CUSTOMER_DATA_FIELDS: "" }).join()).toMatch(/level2 needs at least one of/);
    expect(issuesOf({ ...valid, CUSTOMER_DATA_LEVEL: "level1", CUSTOMER_DATA_FIELDS: "email" }).join()).toMatch(
      /only level2 has fields/,
    );
  });

  it("validates .env.example itself", async () => {
    const { readFile } = await import("node:fs/promises");
    const { parse } = await import("dotenv");
    const example = parse(await readFile(".env.example", "utf8"));
    expect(() => parseEnv(example)).not.toThrow();
  });
});
