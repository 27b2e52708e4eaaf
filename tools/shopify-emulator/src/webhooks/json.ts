// Payload serialization. Shopify ids are 64-bit and many are above 2^53, so they travel as `bigint`
// and are written as bare JSON integers with JSON.rawJSON (V8 ≥ 11.4, Node ≥ 21) – never through a
// JS number, which would silently round 271878346596884015 to 271878346596884000.
declare global {
  interface JSON {
    rawJSON(text: string): unknown;
  }
}

function replacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? JSON.rawJSON(value.toString()) : value;
}

/** JSON.stringify that writes bigint values as exact integers. */
export function stringifyPayload(value: unknown, indent?: number): string {
  return JSON.stringify(value, replacer, indent);
}
