// The dashboard chart's view model: per day its labels and values, and both axes with "nice" ticks,
// all formatted here on the server (the shop's currency; the day keys are already the shop's calendar
// days), so the chart component only places what it is given and the browser's render matches the
// server's (docs/decisions/0029-orders-revenue-chart.md).
import { currencyDigits } from "~/sync/engine/money";
import { DEFAULT_LOCALE, formatCount, formatMoneyMinor } from "./format";

export interface ChartAxis {
  /** The axis' top value (a tick). */
  max: number;
  ticks: Array<{ value: number; label: string }>;
}

export interface ChartDay {
  /** YYYY-MM-DD, the shop's calendar day. */
  day: string;
  /** "Nov 3", under the axis. */
  shortLabel: string;
  /** "Tue, Nov 3, 2026", in the tooltip and the table. */
  label: string;
  orders: number;
  ordersLabel: string;
  /** Revenue in the currency's major units, for scaling only; the label is the exact amount. */
  revenue: number;
  revenueLabel: string;
}

export interface OrdersRevenueChartView {
  currency: string;
  days: ChartDay[];
  ordersAxis: ChartAxis;
  revenueAxis: ChartAxis;
}

/**
 * Ticks at 1, 2 or 5 × 10ⁿ steps covering 0…max in about `count` steps (the usual "nice numbers"
 * rule); `integer` keeps steps whole (order counts).
 */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  const whole = integer ? Math.max(1, Math.ceil(step)) : step;
  const ticks: number[] = [];
  for (let value = 0; value < max + whole; value += whole) {
    ticks.push(Number(value.toPrecision(12)));
    if (value >= max) break;
  }
  return ticks;
}

const utcDay = (key: string) => new Date(`${key}T00:00:00Z`);

export function ordersRevenueChartView(
  perDay: Array<{ day: string; orders: number; revenueMinor: bigint }>,
  currency: string,
  locale = DEFAULT_LOCALE,
): OrdersRevenueChartView {
  // The day keys are calendar days already; formatted at UTC midnight so no timezone moves them.
  const short = new Intl.DateTimeFormat(locale, { month: "short", day: "numeric", timeZone: "UTC" });
  const long = new Intl.DateTimeFormat(locale, {
    weekday: "short",
    month: "short",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
  const wholeMoney = new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 });
  const scale = 10 ** currencyDigits(currency);
  const days = perDay.map((day) => ({
    day: day.day,
    shortLabel: short.format(utcDay(day.day)),
    label: long.format(utcDay(day.day)),
    orders: day.orders,
    ordersLabel: formatCount(day.orders, locale),
    revenue: Number(day.revenueMinor) / scale,
    revenueLabel: formatMoneyMinor(day.revenueMinor, currency, locale),
  }));
  const orderTicks = niceTicks(Math.max(0, ...days.map((day) => day.orders)), 4, true);
  const revenueTicks = niceTicks(Math.max(0, ...days.map((day) => day.revenue)), 4);
  return {
    currency,
    days,
    ordersAxis: {
      max: orderTicks[orderTicks.length - 1] ?? 1,
      ticks: orderTicks.map((value) => ({ value, label: formatCount(value, locale) })),
    },
    revenueAxis: {
      max: revenueTicks[revenueTicks.length - 1] ?? 1,
      ticks: revenueTicks.map((value) => ({ value, label: wholeMoney.format(value) })),
    },
  };
}
