// The dashboard chart renders on the server (no window) with its accessible name and a data table.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { BarChart } from "~/components/BarChart";

describe("BarChart", () => {
  it("server-renders an labelled SVG, one bar per datum, and the numbers as a table", () => {
    const html = renderToString(
      createElement(BarChart, {
        title: "Orders per day",
        description: "Orders per day over the last 30 days",
        data: [
          { key: "2026-01-01", value: 0, valueLabel: "0" },
          { key: "2026-01-02", value: 4, valueLabel: "4" },
        ],
      }),
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-labelledby="orders-per-day-title orders-per-day-desc"');
    expect(html.match(/<rect/g)).toHaveLength(2);
    expect(html).toContain("<caption>Orders per day</caption>");
    expect(html).toContain("2026-01-02: 4");
  });
});
