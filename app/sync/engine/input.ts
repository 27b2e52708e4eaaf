// Input checks shared by both mappers: Shopify's scalar spellings and one error type that names the
// field, so a bad payload fails with "orders webhook: line_items.0: price: …" rather than a TypeError
// three functions later. The GraphQL mapper checks with zod 4 schemas (graphql-input.ts); the REST
// mapper reads webhook bodies with rest-input.ts.

/** A Shopify payload or node that does not have the shape the mapper needs. Not worth retrying. */
export class ShopifyInputError extends Error {
  override name = "ShopifyInputError";
  constructor(
    readonly source: string,
    readonly issues: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(`${source}: ${issues.map((issue) => `${issue.path || "(root)"}: ${issue.message}`).join("; ")}`);
  }
}

/**
 * zod 3's `datetimeRegex({ precision: null, offset: true, local: false })`, the date-time pattern both
 * mappers have always accepted (zod 4's own allows no offset without a colon, "-0500", which REST
 * payloads may carry).
 */
export const ISO_DATE_TIME =
  /^((\d\d[2468][048]|\d\d[13579][26]|\d\d0[48]|[02468][048]00|[13579][26]00)-02-29|\d{4}-((0[13578]|1[02])-(0[1-9]|[12]\d|3[01])|(0[469]|11)-(0[1-9]|[12]\d|30)|(02)-(0[1-9]|1\d|2[0-8])))T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|([+-]\d{2}:?\d{2}))$/;

/** Comma-separated tags, spelled one way whatever the source: GraphQL sends an array, REST "a, b". */
export function joinTags(tags: readonly string[] | string | null | undefined): string | null {
  const list = (typeof tags === "string" ? tags.split(",") : (tags ?? [])).map((tag) => tag.trim()).filter(Boolean);
  return list.length ? list.join(", ") : null;
}

/** REST enums are lowercase ("active", "paid"); the GraphQL spelling the columns use is uppercase. */
export function upperEnum(value: string | null | undefined): string | null {
  return value ? value.toUpperCase() : null;
}
