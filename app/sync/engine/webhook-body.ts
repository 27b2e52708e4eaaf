// Webhook bodies with exact ids. Shopify's ids are 64-bit and many exceed 2^53 (its own samples:
// 271878346596884015), where JSON.parse rounds them silently.
//
// Integers outside the safe range become their decimal string; every other value is what JSON.parse
// gives. Strings, not bigint: the result is still JSON-serialisable (queue payloads, logs, `raw`).
//
// How, cheaply (every delivery is parsed once per processing attempt): a body with no run of 16 digits
// has no unsafe integer and goes to JSON.parse as it is. Otherwise one regular-expression pass over the
// text puts quotes around the integer literals that are not safe (strings are matched whole and left
// alone, so digits inside them are never touched), and JSON.parse reads the result. That is a fifth
// of the cost of JSON.parse's reviver with `context.source` (V8's JSON.parse-with-source), which calls
// back for every value; the reviver stays as the reference the tests compare with.
type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const INTEGER = /^-?\d+$/;

/**
 * Sixteen digits in a row, anywhere. Every integer of at most 15 digits is below 2^53 (≈ 9.007e15), so
 * a body without such a run parses exactly with JSON.parse alone. Digits inside strings count too: the
 * check errs towards the slower path, never away from it.
 */
const LONG_DIGIT_RUN = /\d{16}/;

const exactIntegers: Reviver = (_key, value, context) => {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source && INTEGER.test(context.source)) {
    return context.source;
  }
  return value;
};

const supported = (() => {
  let seen: string | undefined;
  JSON.parse("1", ((_key: string, value: unknown, context?: { source?: string }) => {
    seen = context?.source;
    return value;
  }) as Parameters<typeof JSON.parse>[1]);
  return seen === "1";
})();

/**
 * A JSON string (escapes included), or an integer literal of 16 digits or more: not preceded by a
 * character that would make it part of another token (a fraction, an exponent, a longer number), nor
 * followed by one.
 */
const STRING_OR_LONG_INTEGER = /("(?:[^"\\]|\\.)*")|(?<![\w.+-])(-?\d{16,})(?![.eE\d])/g;

function quoteUnsafeIntegers(raw: string): string {
  return raw.replace(STRING_OR_LONG_INTEGER, (match: string, string: string | undefined) =>
    string !== undefined || Number.isSafeInteger(Number(match)) ? match : `"${match}"`,
  );
}

/** Parses a webhook body, keeping integers above 2^53 exact (as decimal strings). */
export function parseWebhookBody(raw: string): unknown {
  if (!LONG_DIGIT_RUN.test(raw)) return JSON.parse(raw) as unknown;
  return JSON.parse(quoteUnsafeIntegers(raw)) as unknown;
}

/** parseWebhookBody through JSON.parse's reviver with `context.source`: the reference it is tested against. */
export function parseWebhookBodyWithReviver(raw: string): unknown {
  if (!supported) {
    // Failing loudly beats storing rounded ids: this only happens on a runtime older than the app needs.
    throw new Error("JSON.parse has no reviver context.source on this runtime (Node ≥ 21 required)");
  }
  return JSON.parse(raw, exactIntegers as Parameters<typeof JSON.parse>[1]);
}
