// Money, exactly. Shopify sends amounts as decimal strings ("19.99" in REST, "19.9" from GraphQL's
// Decimal scalar, which drops trailing zeros like Ruby's BigDecimal). We keep a canonical decimal string
// (padded to the currency's minor-unit digits, so both sources write the same text) and integer minor
// units for sums. Never through a float: 0.1 + 0.2 is how an order total goes wrong by a cent.
const digitsCache = new Map<string, number>();

/** How many minor-unit digits a currency has (USD 2, JPY 0, KWD 3), as ICU knows it. */
export function currencyDigits(currencyCode: string): number {
  const cached = digitsCache.get(currencyCode);
  if (cached !== undefined) return cached;
  let digits: number | undefined;
  try {
    digits = new Intl.NumberFormat(undefined, { style: "currency", currency: currencyCode }).resolvedOptions()
      .maximumFractionDigits;
  } catch (cause) {
    throw new Error(`unknown currency code ${JSON.stringify(currencyCode)}`, { cause });
  }
  if (digits === undefined) throw new Error(`no minor-unit digits known for currency ${currencyCode}`);
  digitsCache.set(currencyCode, digits);
  return digits;
}

export const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?$/;

export interface Amount {
  /** Canonical decimal string with exactly the currency's digits ("19.90", "1900", "1.250"). */
  decimal: string;
  /** The same amount in integer minor units (cents, yen, fils). */
  minor: bigint;
}

/**
 * Parses a decimal amount for a currency. Extra trailing zeros are fine ("19.900" USD); a non-zero
 * digit beyond the currency's precision is refused, because no integer of minor units is exact for it.
 */
export function parseAmount(amount: string, currencyCode: string): Amount {
  const digits = currencyDigits(currencyCode);
  const m = DECIMAL.exec(amount.trim());
  if (!m) throw new Error(`not a decimal amount: ${JSON.stringify(amount)}`);
  const [, sign = "", whole = "0", fraction = ""] = m;
  const extra = fraction.slice(digits);
  if (/[^0]/.test(extra)) {
    throw new Error(`amount ${amount} has more decimals than ${currencyCode} allows (${digits})`);
  }
  const frac = fraction.slice(0, digits).padEnd(digits, "0");
  const minorAbs = BigInt(whole + frac);
  const minor = sign === "-" ? -minorAbs : minorAbs;
  return { decimal: formatMinor(minor, digits), minor };
}

/** Integer minor units of `amount` in `currencyCode` ("404.95" USD → 40495n, "1900" JPY → 1900n). */
export function toMinorUnits(amount: string, currencyCode: string): bigint {
  return parseAmount(amount, currencyCode).minor;
}

/** Canonical decimal string for an amount in a currency ("19.9" USD → "19.90", "1900.0" JPY → "1900"). */
export function normalizeAmount(amount: string, currencyCode: string): string {
  return parseAmount(amount, currencyCode).decimal;
}

function formatMinor(minor: bigint, digits: number): string {
  const negative = minor < 0n;
  const text = (negative ? -minor : minor).toString().padStart(digits + 1, "0");
  const whole = text.slice(0, text.length - digits);
  const body = digits === 0 ? whole : `${whole}.${text.slice(text.length - digits)}`;
  return negative && minor !== 0n ? `-${body}` : body;
}
