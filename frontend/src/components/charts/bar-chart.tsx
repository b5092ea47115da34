export type Bar = { label: string; value: number };

type BarChartProps = {
  title: string;
  bars: readonly Bar[];
  /** Formats a value for its label and the screen-reader table. */
  format?: (value: number) => string;
  emptyText?: string;
};

const BAR_HEIGHT = 22;
const GAP = 8;
const LABEL_WIDTH = 140;
const CHART_WIDTH = 480;

/** Horizontal bars drawn in SVG, with the same figures as a table for screen readers. */
export function BarChart({ title, bars, format = String, emptyText = 'No data yet.' }: BarChartProps) {
  if (bars.length === 0) {
    return (
      <figure className="m-0">
        <figcaption className="mb-2 text-sm font-semibold text-slate-800">{title}</figcaption>
        <p className="text-sm text-slate-600">{emptyText}</p>
      </figure>
    );
  }
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * (BAR_HEIGHT + GAP);
  const plotWidth = CHART_WIDTH - LABEL_WIDTH - 60;
  return (
    <figure className="m-0">
      <figcaption className="mb-2 text-sm font-semibold text-slate-800">{title}</figcaption>
      <svg
        viewBox={`0 0 ${CHART_WIDTH} ${height}`}
        className="h-auto w-full max-w-xl"
        aria-hidden="true"
        focusable="false"
      >
        {bars.map((bar, index) => {
          const y = index * (BAR_HEIGHT + GAP);
          const width = Math.max(2, (bar.value / max) * plotWidth);
          return (
            <g key={`${bar.label}-${index}`}>
              <text x={LABEL_WIDTH - 8} y={y + BAR_HEIGHT * 0.7} textAnchor="end" fontSize="12" fill="#334155">
                {bar.label.length > 20 ? `${bar.label.slice(0, 19)}…` : bar.label}
              </text>
              <rect x={LABEL_WIDTH} y={y} width={width} height={BAR_HEIGHT} rx="3" fill="#6366f1" />
              <text x={LABEL_WIDTH + width + 6} y={y + BAR_HEIGHT * 0.7} fontSize="12" fill="#0f172a">
                {format(bar.value)}
              </text>
            </g>
          );
        })}
      </svg>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {bars.map((bar, index) => (
            <tr key={`${bar.label}-${index}`}>
              <th scope="row">{bar.label}</th>
              <td>{format(bar.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
