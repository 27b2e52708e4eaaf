// Money is kept in integer cents so totals add up exactly; it leaves the emulator as decimal strings.

/** "19.99" — the `Money` scalar and REST-style prices (two decimals). */
export function formatMoney(cents: number): string {
  const neg = cents < 0;
  const c = Math.abs(Math.round(cents));
  const s = `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, "0")}`;
  return neg ? `-${s}` : s;
}

/** "19.9", "10.0", "0.0" — the `Decimal` scalar (MoneyV2.amount). Shopify serialises it like Ruby's
 * BigDecimal#to_s: trailing zeros dropped but at least one decimal digit kept. Apps that compare
 * amounts as strings break on this, which is worth surfacing here. */
export function formatDecimal(cents: number): string {
  const s = formatMoney(cents);
  return s.endsWith("0") ? s.slice(0, -1) : s;
}

/** Parses "19.99" / "19.9" / "19" into cents; undefined when not a decimal. */
export function parseMoney(value: string | number): number | undefined {
  const s = String(value).trim();
  const m = /^(-?)(\d+)(?:\.(\d{1,2})\d*)?$/.exec(s);
  if (!m) return undefined;
  const cents = Number(m[2]) * 100 + Number((m[3] ?? "0").padEnd(2, "0"));
  return m[1] ? -cents : cents;
}
