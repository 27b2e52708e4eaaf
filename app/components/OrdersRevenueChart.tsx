// Orders and revenue per day in one chart: orders as bars on the left axis, revenue as a line on the
// right axis (in the shop's currency), a legend, labelled axes, and a day's values in a tooltip on
// hover and on keyboard focus (one tab stop; the arrow keys, Home and End move between days). The
// same numbers are in a table behind it for screen readers. Our own SVG rather than Polaris Viz
// (docs/decisions/0029-orders-revenue-chart.md): it renders on the server like the rest of the page,
// and every text comes formatted from the loader (app/view-models/orders-revenue-chart.ts), so the browser's
// first render is the server's.
import { Text } from "@shopify/polaris";
import { useRef, useState, type KeyboardEvent } from "react";
import type { OrdersRevenueChartView } from "~/view-models/orders-revenue-chart";

const WIDTH = 760;
const HEIGHT = 300;
const MARGIN = { top: 16, right: 84, bottom: 48, left: 64 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const ORDERS_COLOR = "var(--p-color-bg-fill-info, #51c0ff)";
const REVENUE_COLOR = "var(--p-color-bg-fill-magic, #8051ff)";
/** Every how many days the x axis is labelled (30 labels would overlap). */
const X_LABEL_EVERY = 5;

export function OrdersRevenueChart({ chart, title }: { chart: OrdersRevenueChartView; title: string }) {
  const { days, ordersAxis, revenueAxis, currency } = chart;
  const [active, setActive] = useState<number | null>(null);
  // Roving focus: the one focusable day (the last, until the merchant moves).
  const [focusIndex, setFocusIndex] = useState(Math.max(0, days.length - 1));
  const dayRefs = useRef<Array<SVGGElement | null>>([]);
  const slot = PLOT_W / Math.max(1, days.length);
  const barWidth = Math.max(2, slot * 0.6);
  const x = (index: number) => MARGIN.left + slot * index + slot / 2;
  const yOrders = (value: number) => MARGIN.top + PLOT_H - (value / ordersAxis.max) * PLOT_H;
  const yRevenue = (value: number) => MARGIN.top + PLOT_H - (value / revenueAxis.max) * PLOT_H;
  const revenueLabel = `Revenue (${currency})`;
  const tooltipId = `${idOf(title)}-tooltip`;

  const moveTo = (index: number) => {
    const next = Math.min(days.length - 1, Math.max(0, index));
    setFocusIndex(next);
    setActive(next);
    dayRefs.current[next]?.focus();
  };
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const target = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: days.length - 1 }[event.key];
    if (target === undefined) {
      if (event.key === "Escape") setActive(null);
      return;
    }
    event.preventDefault();
    moveTo(target);
  };

  const activeDay = active === null ? undefined : days[active];
  return (
    <figure style={{ margin: 0 }} aria-labelledby={`${idOf(title)}-caption`}>
      <figcaption id={`${idOf(title)}-caption`} className="Polaris-Text--visuallyHidden">
        {title}: orders (bars, left axis) and {revenueLabel.toLowerCase()} (line, right axis) per day. Use the arrow
        keys to read each day.
      </figcaption>
      <div style={{ display: "flex", gap: "var(--p-space-400)", flexWrap: "wrap" }} data-testid="chart-legend">
        <LegendItem color={ORDERS_COLOR} shape="bar" label="Orders" />
        <LegendItem color={REVENUE_COLOR} shape="line" label={revenueLabel} />
      </div>
      <div style={{ position: "relative" }}>
        <svg
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          width="100%"
          role="group"
          aria-label={title}
          style={{ display: "block", overflow: "visible" }}
          onMouseLeave={() => setActive(null)}
        >
          {/* Grid and left axis: orders. */}
          {ordersAxis.ticks.map((tick) => (
            <g key={`o-${tick.value}`} aria-hidden="true">
              <line
                x1={MARGIN.left}
                x2={MARGIN.left + PLOT_W}
                y1={yOrders(tick.value)}
                y2={yOrders(tick.value)}
                stroke="var(--p-color-border-secondary, #ebebeb)"
              />
              <text
                x={MARGIN.left - 8}
                y={yOrders(tick.value)}
                textAnchor="end"
                dominantBaseline="middle"
                fontSize={11}
              >
                {tick.label}
              </text>
            </g>
          ))}
          {/* Right axis: revenue. */}
          {revenueAxis.ticks.map((tick) => (
            <text
              key={`r-${tick.value}`}
              aria-hidden="true"
              x={MARGIN.left + PLOT_W + 8}
              y={yRevenue(tick.value)}
              dominantBaseline="middle"
              fontSize={11}
            >
              {tick.label}
            </text>
          ))}
          <text
            aria-hidden="true"
            transform={`translate(16 ${MARGIN.top + PLOT_H / 2}) rotate(-90)`}
            textAnchor="middle"
            fontSize={12}
          >
            Orders
          </text>
          <text
            aria-hidden="true"
            transform={`translate(${WIDTH - 12} ${MARGIN.top + PLOT_H / 2}) rotate(90)`}
            textAnchor="middle"
            fontSize={12}
          >
            {revenueLabel}
          </text>
          <text aria-hidden="true" x={MARGIN.left + PLOT_W / 2} y={HEIGHT - 6} textAnchor="middle" fontSize={12}>
            Day
          </text>
          <line
            aria-hidden="true"
            x1={MARGIN.left}
            x2={MARGIN.left + PLOT_W}
            y1={MARGIN.top + PLOT_H}
            y2={MARGIN.top + PLOT_H}
            stroke="var(--p-color-border, #8a8a8a)"
          />
          {/* Bars, one focusable group per day. */}
          {days.map((day, index) => (
            <g
              key={day.day}
              ref={(element) => {
                dayRefs.current[index] = element;
              }}
              data-chart-day={day.day}
              tabIndex={index === focusIndex ? 0 : -1}
              role="img"
              aria-label={`${day.label}: ${day.ordersLabel} orders, ${day.revenueLabel} revenue`}
              aria-describedby={active === index ? tooltipId : undefined}
              onMouseEnter={() => setActive(index)}
              onFocus={() => {
                setFocusIndex(index);
                setActive(index);
              }}
              onBlur={() => setActive((current) => (current === index ? null : current))}
              onKeyDown={(event) => onKeyDown(event, index)}
              style={{ outline: "none", cursor: "default" }}
            >
              {/* The whole column is the hover target, not only the bar (a day with no orders has none). */}
              <rect
                x={MARGIN.left + slot * index}
                y={MARGIN.top}
                width={slot}
                height={PLOT_H}
                fill={active === index ? "var(--p-color-bg-surface-hover, #f1f1f1)" : "transparent"}
                stroke={active === index && index === focusIndex ? "var(--p-color-border-focus, #005bd3)" : "none"}
              />
              <rect
                x={x(index) - barWidth / 2}
                y={yOrders(day.orders)}
                width={barWidth}
                height={MARGIN.top + PLOT_H - yOrders(day.orders)}
                rx={2}
                fill={ORDERS_COLOR}
              />
              {index % X_LABEL_EVERY === (days.length - 1) % X_LABEL_EVERY ? (
                <text x={x(index)} y={MARGIN.top + PLOT_H + 18} textAnchor="middle" fontSize={11} aria-hidden="true">
                  {day.shortLabel}
                </text>
              ) : null}
            </g>
          ))}
          {/* Revenue line and points; not hover targets of their own (the day's column is). */}
          <polyline
            aria-hidden="true"
            pointerEvents="none"
            fill="none"
            stroke={REVENUE_COLOR}
            strokeWidth={2}
            points={days.map((day, index) => `${x(index)},${yRevenue(day.revenue)}`).join(" ")}
          />
          {days.map((day, index) => (
            <circle
              key={`p-${day.day}`}
              aria-hidden="true"
              pointerEvents="none"
              cx={x(index)}
              cy={yRevenue(day.revenue)}
              r={active === index ? 5 : 3}
              fill={REVENUE_COLOR}
            />
          ))}
        </svg>
        {activeDay && active !== null ? (
          <div
            id={tooltipId}
            role="tooltip"
            style={{
              position: "absolute",
              top: 0,
              left: `${(x(active) / WIDTH) * 100}%`,
              transform: active > days.length / 2 ? "translateX(calc(-100% - 12px))" : "translateX(12px)",
              background: "var(--p-color-bg-surface, #fff)",
              boxShadow: "var(--p-shadow-400)",
              borderRadius: "var(--p-border-radius-200)",
              padding: "var(--p-space-200) var(--p-space-300)",
              pointerEvents: "none",
              whiteSpace: "nowrap",
            }}
          >
            <Text as="p" fontWeight="semibold">
              {activeDay.label}
            </Text>
            <Text as="p">
              <span data-chart-value="orders">{activeDay.ordersLabel}</span> orders
            </Text>
            <Text as="p">
              <span data-chart-value="revenue">{activeDay.revenueLabel}</span> revenue
            </Text>
          </div>
        ) : null}
      </div>
      <table className="Polaris-Text--visuallyHidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Orders</th>
            <th scope="col">{revenueLabel}</th>
          </tr>
        </thead>
        <tbody>
          {days.map((day) => (
            <tr key={day.day}>
              <th scope="row">{day.label}</th>
              <td>{day.ordersLabel}</td>
              <td>{day.revenueLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

function LegendItem({ color, shape, label }: { color: string; shape: "bar" | "line"; label: string }) {
  return (
    <span style={{ display: "inline-flex", alignItems: "center", gap: "var(--p-space-150)" }}>
      <svg width={16} height={12} aria-hidden="true">
        {shape === "bar" ? (
          <rect x={3} y={0} width={10} height={12} rx={2} fill={color} />
        ) : (
          <>
            <line x1={0} x2={16} y1={6} y2={6} stroke={color} strokeWidth={2} />
            <circle cx={8} cy={6} r={3} fill={color} />
          </>
        )}
      </svg>
      <Text as="span" variant="bodySm">
        {label}
      </Text>
    </span>
  );
}

const idOf = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
