// A small accessible SVG bar chart, server-rendered. Polaris Viz was tried first and rejected: its
// BarChart throws `window is not defined` when rendered on the server (isTouchDevice in
// polaris-viz-core) and measures its container in useLayoutEffect, so an SSR page would need a
// client-only wrapper and still show nothing until hydration. This one renders the same markup on the
// server and in the browser: an <svg role="img"> with a title and description, a <title> per bar (the
// hover tooltip), and the same numbers in a visually hidden table for screen readers.
import { Text } from "@shopify/polaris";

export interface BarDatum {
  /** Category (the day, YYYY-MM-DD). */
  key: string;
  value: number;
  /** The value as text (formatted money or count). */
  valueLabel: string;
}

const HEIGHT = 160;
const BAR_GAP = 2;

export function BarChart({
  title,
  description,
  data,
  color = "var(--p-color-bg-fill-brand)",
}: {
  title: string;
  description: string;
  data: BarDatum[];
  color?: string;
}) {
  const max = Math.max(0, ...data.map((datum) => datum.value));
  const barWidth = 12;
  const width = data.length * (barWidth + BAR_GAP);
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  const first = data[0];
  const last = data[data.length - 1];
  return (
    <figure style={{ margin: 0 }}>
      <svg
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${Math.max(width, 1)} ${HEIGHT}`}
        preserveAspectRatio="none"
        width="100%"
        height={HEIGHT}
      >
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        <line x1={0} x2={width} y1={HEIGHT - 0.5} y2={HEIGHT - 0.5} stroke="var(--p-color-border)" />
        {data.map((datum, index) => {
          const height = max > 0 ? Math.max(datum.value > 0 ? 2 : 0, (datum.value / max) * (HEIGHT - 8)) : 0;
          return (
            <rect
              key={datum.key}
              x={index * (barWidth + BAR_GAP)}
              y={HEIGHT - height}
              width={barWidth}
              height={height}
              rx={2}
              fill={color}
            >
              <title>{`${datum.key}: ${datum.valueLabel}`}</title>
            </rect>
          );
        })}
      </svg>
      {first && last ? (
        <div style={{ display: "flex", justifyContent: "space-between" }} aria-hidden="true">
          <Text as="span" variant="bodySm" tone="subdued">
            {first.key}
          </Text>
          <Text as="span" variant="bodySm" tone="subdued">
            {last.key}
          </Text>
        </div>
      ) : null}
      <table className="Polaris-Text--visuallyHidden">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {data.map((datum) => (
            <tr key={datum.key}>
              <th scope="row">{datum.key}</th>
              <td>{datum.valueLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
