// The dashboard chart (app/components/OrdersRevenueChart.tsx) and its view model: nice axis ticks,
// labels in the shop's currency, and a server render with a legend, labelled axes, one focusable
// day (roving focus) and the figures in a table behind it.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { OrdersRevenueChart } from "~/components/OrdersRevenueChart";
import { niceTicks, ordersRevenueChartView } from "~/view-models/orders-revenue-chart";

describe("the chart's view model", () => {
  it("picks 1-2-5 ticks covering the largest value, whole ones for counts", () => {
    expect(niceTicks(7, 4, true)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(1234.5)).toEqual([0, 500, 1000, 1500]);
    expect(niceTicks(0)).toEqual([0, 1]);
  });

  it("labels days, orders and revenue in the shop's currency, exactly", () => {
    const view = ordersRevenueChartView(
      [
        { day: "2026-11-30", orders: 0, revenueMinor: 0n },
        { day: "2026-12-01", orders: 3, revenueMinor: 125_099n },
      ],
      "EUR",
    );
    expect(view.days[1]).toEqual({
      day: "2026-12-01",
      shortLabel: "Dec 1",
      label: "Tue, Dec 1, 2026",
      orders: 3,
      ordersLabel: "3",
      revenue: 1250.99,
      revenueLabel: "€1,250.99",
    });
    expect(view.revenueAxis.ticks.map((tick) => tick.label)).toEqual(["€0", "€500", "€1,000", "€1,500"]);
    expect(view.ordersAxis.max).toBe(3);
  });
});

describe("OrdersRevenueChart", () => {
  it("server-renders a legend, axis titles, one tab stop and the figures as a table", () => {
    const chart = ordersRevenueChartView(
      [
        { day: "2026-11-30", orders: 1, revenueMinor: 1_999n },
        { day: "2026-12-01", orders: 2, revenueMinor: 10_501n },
      ],
      "USD",
    );
    const html = renderToString(createElement(OrdersRevenueChart, { chart, title: "Orders and revenue per day" }));
    expect(html).toContain("Revenue (USD)");
    expect(html).toContain(">Orders<");
    expect(html).toContain(">Day<");
    expect(html.match(/tabindex="0"/g)).toHaveLength(1);
    expect(html.match(/tabindex="-1"/g)).toHaveLength(1);
    expect(html).toContain('aria-label="Tue, Dec 1, 2026: 2 orders, $105.01 revenue"');
    expect(html).toContain("<caption>Orders and revenue per day</caption>");
    expect(html).toMatch(/<th scope="row">Mon, Nov 30, 2026<\/th><td>1<\/td><td>\$19.99<\/td>/);
    // No tooltip until the merchant points at or focuses a day.
    expect(html).not.toContain('role="tooltip"');
  });
});
