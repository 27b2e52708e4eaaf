// Money and id formatting used by every page (app/view-models/format.ts).
import { describe, expect, it } from "vitest";
import { formatDuration, formatMoneyMinor, minorToDecimal, numericId } from "~/view-models/format";

describe("minorToDecimal", () => {
  it("places the decimal point by the currency's digits, with the sign", () => {
    expect(minorToDecimal(5n, 2)).toBe("0.05");
    expect(minorToDecimal(-12345n, 2)).toBe("-123.45");
    expect(minorToDecimal(1900n, 0)).toBe("1900");
    expect(minorToDecimal(1250n, 3)).toBe("1.250");
  });
});

describe("formatMoneyMinor", () => {
  it("formats in the currency", () => {
    expect(formatMoneyMinor(40495n, "USD")).toBe("$404.95");
    expect(formatMoneyMinor(1250n, "KWD")).toBe("KWD\u00a01.250"); // ICU puts a no-break space after the code
    expect(formatMoneyMinor(-1999n, "EUR")).toBe("-€19.99");
  });
});

describe("numericId and formatDuration", () => {
  it("takes the numeric part of a GID and formats durations", () => {
    expect(numericId("gid://shopify/Product/123")).toBe("123");
    expect(numericId("gid://shopify/InventoryLevel/9?inventory_item_id=1")).toBe("9");
    expect(formatDuration(250)).toBe("250 ms");
    expect(formatDuration(90_000)).toBe("1 min 30 s");
    expect(formatDuration(null)).toBeNull();
  });
});
