// Webhook bodies with exact ids. Shopify's ids are 64-bit and many exceed 2^53 (its own samples:
// 271878346596884015), where JSON.parse rounds them silently.
//
// Integers outside the safe range become their decimal string; every other value is what JSON.parse
// gives. Strings, not bigint: the result is still JSON-serialisable (queue payloads, logs, `raw`).
//
// How, cheaply (every delivery is parsed once per processing attempt): a body with no run of 16 digits
// has no unsafe integer and goes to JSON.parse as it is. Otherwise the integer literals that are not
// safe are put in quotes (strings are skipped, so digits inside them are never touched), and
// JSON.parse reads the result. JSON.parse's reviver with `context.source` (V8's
// JSON.parse-with-source) does the same but calls back for every value, which cost several times the
// parse itself; it stays as the reference the tests compare with.
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

/** Sixteen or more digits, with what precedes and follows them: a standalone integer literal or not. */
const LONG_DIGITS = /-?\d{16,}/g;

/**
 * The text with every integer literal above 2^53 in quotes. Strings are skipped with indexOf (a JSON
 * string ends at the first quote not escaped by an odd run of backslashes), so digits inside them are
 * never touched; a digit run outside strings is an integer literal only when no fraction, exponent or
 * other digit is attached to it.
 */
export function quoteUnsafeIntegers(raw: string): string {
  let out = "";
  let copied = 0;
  let stringsCheckedTo = 0; // every quote before this index has been paired
  LONG_DIGITS.lastIndex = 0;
  for (let match = LONG_DIGITS.exec(raw); match; match = LONG_DIGITS.exec(raw)) {
    const start = match.index;
    // Skip the strings that open before this run; if the run is inside one, go on after it.
    let inside = false;
    while (stringsCheckedTo < start) {
      const open = raw.indexOf('"', stringsCheckedTo);
      if (open === -1 || open >= start) {
        stringsCheckedTo = start;
        break;
      }
      let close = open;
      do {
        close = raw.indexOf('"', close + 1);
        if (close === -1) return raw; // an unterminated string: JSON.parse reports it
      } while (escaped(raw, close));
      stringsCheckedTo = close + 1;
      if (close > start) {
        inside = true;
        LONG_DIGITS.lastIndex = close + 1;
        break;
      }
    }
    if (inside) continue;
    const end = start + match[0].length;
    const before = raw[start - 1];
    const after = raw[end];
    const attached = (c: string | undefined) => c !== undefined && /[\w.+-]/.test(c);
    if (attached(before) || (after !== undefined && /[.eE\d]/.test(after))) continue;
    if (Number.isSafeInteger(Number(match[0]))) continue;
    out += `${raw.slice(copied, start)}"${match[0]}"`;
    copied = end;
  }
  return copied === 0 ? raw : out + raw.slice(copied);
}

/** Whether the quote at `index` is escaped (preceded by an odd number of backslashes). */
function escaped(raw: string, index: number): boolean {
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && raw[i] === "\\"; i--) backslashes++;
  return backslashes % 2 === 1;
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
