// Reading a REST webhook body (parsed JSON, ids above 2^53 as strings: webhook-body.ts) field by field,
// with explicit checks and the same messages the zod 3 schemas gave ("Required", "Expected string,
// received number", "expected a Product GID"…), collected for every bad field of an object before it
// fails as one ShopifyInputError.
//
// Why not zod: webhook processing maps every delivery (thousands a second in a flash sale), and the zod
// 3 schemas with their transforms (undefined → null, string → Date, id → string) cost more than all the
// database work of a delivery (`npm run bench:processing` printed mapping at ~1,300 deliveries/s
// against the writer's ~4,400/s). These checks are a few typeof tests per field and build nothing but
// the values read.
import { gidType, type ResourceType } from "./ids";
import { ISO_DATE_TIME, ShopifyInputError } from "./input";
import { DECIMAL } from "./money";

type Issue = { path: string; message: string };

/** zod 3's name for a value's type in "Expected …, received …". */
function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isNaN(value) ? "nan" : "number";
  return typeof value;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * The fields of one JSON object. Each reader returns the value, or records an issue and returns a
 * placeholder: readObject throws before any placeholder is used.
 */
export class RestFields {
  constructor(
    private readonly object: Record<string, unknown>,
    private readonly path: string,
    private readonly issues: Issue[],
  ) {}

  private fail<T>(key: string, message: string, placeholder: T): T {
    this.issues.push({ path: this.path ? `${this.path}.${key}` : key, message });
    return placeholder;
  }

  private wrongType<T>(key: string, expected: string, value: unknown, placeholder: T): T {
    return this.fail(
      key,
      value === undefined ? "Required" : `Expected ${expected}, received ${typeName(value)}`,
      placeholder,
    );
  }

  /** Present and non-null, else the result of `absent`. */
  private optional<T>(key: string, read: (value: unknown) => T): T | null {
    const value = this.object[key];
    return value === undefined || value === null ? null : read(value);
  }

  /** The field as it is, unchecked (for `raw`, or a value read elsewhere). */
  value(key: string): unknown {
    return this.object[key];
  }

  string(key: string): string {
    const value = this.object[key];
    return typeof value === "string" ? value : this.wrongType(key, "string", value, "");
  }

  /** A string, null or absent → string or null. */
  text(key: string): string | null {
    return this.optional(key, (value) =>
      typeof value === "string" ? value : this.wrongType(key, "string", value, null),
    );
  }

  int(key: string): number {
    const value = this.object[key];
    if (typeof value !== "number" || Number.isNaN(value)) return this.wrongType(key, "number", value, 0);
    return Number.isInteger(value) ? value : this.fail(key, "Expected integer, received float", 0);
  }

  intOrNull(key: string): number | null {
    return this.optional(key, () => this.int(key));
  }

  booleanOrNull(key: string): boolean | null {
    return this.optional(key, (value) =>
      typeof value === "boolean" ? value : this.wrongType(key, "boolean", value, null),
    );
  }

  /** A boolean, or `fallback` when absent (null is refused, as zod's `.optional().default()` did). */
  boolean(key: string, fallback: boolean): boolean {
    const value = this.object[key];
    if (value === undefined) return fallback;
    return typeof value === "boolean" ? value : this.wrongType(key, "boolean", value, fallback);
  }

  /** ISO-8601 with "Z" or an offset, as a Date. */
  dateTime(key: string): Date {
    const value = this.string(key);
    if (value === "" && typeof this.object[key] !== "string") return new Date(0);
    return ISO_DATE_TIME.test(value) ? new Date(value) : this.fail(key, "expected an ISO-8601 date-time", new Date(0));
  }

  dateTimeOrNull(key: string): Date | null {
    return this.optional(key, () => this.dateTime(key));
  }

  /** A decimal amount as a string ("19.99"). */
  decimal(key: string): string {
    const value = this.string(key);
    if (value === "" && typeof this.object[key] !== "string") return "0";
    return DECIMAL.test(value) ? value : this.fail(key, 'expected a decimal amount such as "19.99"', "0");
  }

  decimalOrNull(key: string): string | null {
    return this.optional(key, () => this.decimal(key));
  }

  /** A GID of one resource type. */
  gid(key: string, type: ResourceType): string {
    const value = this.string(key);
    if (value === "" && typeof this.object[key] !== "string") return "";
    return gidType(value) === type ? value : this.fail(key, `expected a ${type} GID`, "");
  }

  /** gid, or undefined when absent (null is refused). */
  gidOrAbsent(key: string, type: ResourceType): string | undefined {
    return this.object[key] === undefined ? undefined : this.gid(key, type);
  }

  /**
   * A numeric id as parseWebhookBody leaves it: a safe integer, or the decimal string of a larger one.
   * An unsafe JS number means the body went through plain JSON.parse and is corrupted already: refused
   * rather than stored wrong.
   */
  numericId(key: string): string {
    const value = this.object[key];
    if (typeof value === "string" && /^\d+$/.test(value)) return value;
    if (typeof value === "bigint" && value >= 0n) return value.toString();
    if (typeof value === "number" && Number.isInteger(value) && value >= 0) {
      if (Number.isSafeInteger(value)) return String(value);
      return this.fail(
        key,
        "id is above 2^53 and was parsed as a JS number (precision lost): parse the body with parseWebhookBody",
        "0",
      );
    }
    return this.fail(key, `expected a numeric id, got ${JSON.stringify(value) ?? "nothing"}`, "0");
  }

  numericIdOrNull(key: string): string | null {
    return this.optional(key, () => this.numericId(key));
  }

  /** numericId, or undefined when absent. */
  numericIdOrAbsent(key: string): string | undefined {
    return this.object[key] === undefined ? undefined : this.numericId(key);
  }

  /** An array (absent: empty); its elements unchecked. */
  array(key: string): unknown[] {
    const value = this.object[key];
    if (value === undefined) return [];
    return Array.isArray(value) ? value : this.wrongType(key, "array", value, []);
  }

  /** Tags as REST ("a, b") or as a list; null or absent: null. */
  tags(key: string): string | string[] | null {
    return this.optional(key, (value) => {
      if (typeof value === "string") return value;
      if (Array.isArray(value) && value.every((tag) => typeof tag === "string")) return value as string[];
      return this.fail(key, "Invalid input", null);
    });
  }

  /** A nested object's fields; null or absent: null. */
  objectOrNull(key: string): RestFields | null {
    return this.optional(key, (value) =>
      isObject(value)
        ? new RestFields(value, this.path ? `${this.path}.${key}` : key, this.issues)
        : this.wrongType(key, "object", value, null),
    );
  }

  /** A nested object's fields at `path` (an element of an array read by `array`). */
  element(value: unknown, index: number, key: string): RestFields | null {
    const path = `${this.path ? `${this.path}.` : ""}${key}.${index}`;
    if (isObject(value)) return new RestFields(value, path, this.issues);
    this.issues.push({ path, message: `Expected object, received ${typeName(value)}` });
    return null;
  }
}

/**
 * Reads `input` (which must be an object) with `read`, then throws a ShopifyInputError naming every
 * bad field, or returns what `read` returned.
 */
export function readRest<T>(source: string, input: unknown, read: (fields: RestFields) => T): T {
  if (!isObject(input)) {
    throw new ShopifyInputError(source, [{ path: "", message: `Expected object, received ${typeName(input)}` }]);
  }
  const issues: Issue[] = [];
  const result = read(new RestFields(input, "", issues));
  if (issues.length) throw new ShopifyInputError(source, issues);
  return result;
}
