// Formatting for the merchant UI, run on the server (in the loaders' view models) so that the page
// renders the same text on the server and in the browser: no hydration mismatch from a different
// locale or timezone in the browser. Money never goes through a float: minor units (bigint) become a
// decimal string, which Intl.NumberFormat formats exactly.
import { currencyDigits } from "~/sync/engine/money";

export const DEFAULT_LOCALE = "en-US";

/** "12345" minor units of a 2-digit currency → "123.45" (exact; negative amounts keep their sign). */
export function minorToDecimal(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const whole = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? "" : `.${text.slice(-digits)}`;
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** Formats integer minor units in a currency, e.g. (40495n, "USD") → "$404.95". */
export function formatMoneyMinor(minor: bigint, currencyCode: string, locale = DEFAULT_LOCALE): string {
  const decimal = minorToDecimal(minor, currencyDigits(currencyCode));
  // A numeric string is formatted exactly (Intl.NumberFormat v3), unlike a Number past 2^53.
  return new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode }).format(
    decimal as Intl.StringNumericLiteral,
  );
}

/** Formats a decimal amount string as Shopify stores it ("19.90", "EUR"). */
export function formatMoneyDecimal(decimal: string, currencyCode: string, locale = DEFAULT_LOCALE): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: currencyCode }).format(
    decimal as Intl.StringNumericLiteral,
  );
}

export function formatCount(value: number | bigint, locale = DEFAULT_LOCALE): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A date and time in the shop's timezone (UTC when the shop has none recorded). */
export function formatDateTime(value: Date | null | undefined, timeZone: string | null, locale = DEFAULT_LOCALE) {
  if (!value) return null;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: timeZone ?? "UTC",
  }).format(value);
}

/** The calendar day (YYYY-MM-DD) of an instant in a timezone. */
export function dayKey(value: Date, timeZone: string | null): string {
  // en-CA formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat("en-CA", {
    timeZone: timeZone ?? "UTC",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(value);
}

export function formatDuration(milliseconds: number | null): string | null {
  if (milliseconds === null || !Number.isFinite(milliseconds)) return null;
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  const seconds = milliseconds / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** The numeric part of a GID: gid://shopify/Product/123 → "123". */
export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf("/") + 1).split("?")[0] ?? gid;
}

export function toGid(type: "Product" | "Order", id: string): string {
  return `gid://shopify/${type}/${id}`;
}
