// What was thrown, as an Error or as its message. JavaScript lets any value be thrown (a string, an
// object from a library), and logs, job rows and delivery rows want an Error or a text.

/** `value` if it is an Error, else an Error whose message is the value (JSON for non-strings). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === "string") return new Error(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value); // a cyclic object or a bigint
  }
  return new Error(text);
}

/** The message of what was thrown (an Error's message, anything else as text). */
export function errorMessage(value: unknown): string {
  return value instanceof Error ? value.message : String(value);
}
