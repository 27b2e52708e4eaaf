import { describe, expect, it } from "vitest";
import { currencyDigits, normalizeAmount, parseAmount, toMinorUnits } from "./money";

describe("toMinorUnits", () => {
  it("USD: two digits, from REST and from GraphQL's trailing-zero-dropping Decimal alike", () => {
    expect(currencyDigits("USD")).toBe(2);
    expect(toMinorUnits("404.95", "USD")).toBe(40495n);
    expect(toMinorUnits("19.9", "USD")).toBe(1990n);
    expect(toMinorUnits("19.90", "USD")).toBe(1990n);
    expect(toMinorUnits("0.0", "USD")).toBe(0n);
    expect(toMinorUnits("10", "USD")).toBe(1000n);
    expect(toMinorUnits("-20.05", "USD")).toBe(-2005n);
    expect(normalizeAmount("19.9", "USD")).toBe("19.90");
    expect(normalizeAmount("0.0", "USD")).toBe("0.00");
  });

  it("is exact where floats are not", () => {
    // 0.29 * 100 = 28.999999999999996 and 1.005 * 1000 = 1004.9999999999999 in doubles.
    expect(toMinorUnits("0.29", "USD")).toBe(29n);
    expect(toMinorUnits("1.005", "KWD")).toBe(1005n);
    expect(toMinorUnits("92233720368547758.07", "USD")).toBe(9223372036854775807n);
  });

  it("JPY: no minor digits", () => {
    expect(currencyDigits("JPY")).toBe(0);
    expect(toMinorUnits("1900", "JPY")).toBe(1900n);
    expect(toMinorUnits("1900.0", "JPY")).toBe(1900n);
    expect(normalizeAmount("1900.00", "JPY")).toBe("1900");
    expect(() => toMinorUnits("1900.5", "JPY")).toThrow(/more decimals than JPY allows \(0\)/);
  });

  it("KWD and BHD: three digits", () => {
    expect(currencyDigits("KWD")).toBe(3);
    expect(currencyDigits("BHD")).toBe(3);
    expect(toMinorUnits("1.250", "KWD")).toBe(1250n);
    expect(toMinorUnits("1.25", "KWD")).toBe(1250n);
    expect(parseAmount("12.5", "BHD")).toEqual({ decimal: "12.500", minor: 12500n });
    expect(toMinorUnits("0.001", "BHD")).toBe(1n);
  });

  it("refuses what is not an exact amount", () => {
    expect(() => toMinorUnits("19.999", "USD")).toThrow(/more decimals than USD allows \(2\)/);
    expect(toMinorUnits("19.9900", "USD")).toBe(1999n); // extra zeros are fine
    expect(() => toMinorUnits("1e3", "USD")).toThrow(/not a decimal amount/);
    expect(() => toMinorUnits("", "USD")).toThrow(/not a decimal amount/);
    expect(() => toMinorUnits("12.", "USD")).toThrow(/not a decimal amount/);
    expect(() => toMinorUnits("1", "NOTACURRENCY")).toThrow(/unknown currency code/);
  });
});
