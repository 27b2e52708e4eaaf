// Webhook bodies with exact ids. Shopify's ids are 64-bit and many exceed 2^53 (its own samples:
// 271878346596884015), where JSON.parse rounds them silently. We use JSON.parse's reviver `context.source`
// (V8's JSON.parse-with-source, on by default since Node 21; this app requires Node ≥ 22.12): it hands
// us the literal text of each number, so no JSON library is needed and the parse stays native-speed.
//
// Integers outside the safe range become their decimal string; every other value is what JSON.parse
// gives. Strings, not bigint: the result is still JSON-serialisable (queue payloads, logs, `raw`).

type Reviver = (this: unknown, key: string, value: unknown, context?: { source?: string }) => unknown;

const INTEGER = /^-?\d+$/;

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

/** Parses a webhook body, keeping integers above 2^53 exact (as decimal strings). */
export function parseWebhookBody(raw: string): unknown {
  if (!supported) {
    // Failing loudly beats storing rounded ids: this only happens on a runtime older than the app needs.
    throw new Error("JSON.parse has no reviver context.source on this runtime (Node ≥ 21 required)");
  }
  return JSON.parse(raw, exactIntegers as Parameters<typeof JSON.parse>[1]);
}
