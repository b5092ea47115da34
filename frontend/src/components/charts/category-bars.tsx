import type { ReactElement } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { formatDuration } from '@/lib/format';

// Distinguishable on white and for the common colour-vision deficiencies (Okabe–Ito order).
export const SERIES_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

export const AXIS_TICK = { fontSize: 12, fill: '#475569' };

/** A chart that takes its container's width, at a fixed height. */
export function ChartFrame({
  label,
  children,
  height = 256,
}: {
  label: string;
  children: ReactElement;
  height?: number;
}) {
  return (
    <figure aria-label={label} className="m-0 w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height="100%">
        {children}
      </ResponsiveContainer>
    </figure>
  );
}

export type Series<T> = { name: string; value: (row: T) => number };

/** Bars per category; `seconds` formats the axis and tooltip as durations. */
export function CategoryBars<T>({
  label,
  rows,
  category,
  series,
  seconds = false,
  height,
}: {
  label: string;
  rows: readonly T[];
  category: (row: T) => string;
  series: ReadonlyArray<Series<T>>;
  seconds?: boolean;
  height?: number;
}) {
  const format = (value: number) => (seconds ? formatDuration(value) : String(value));
  // Counts get whole-number ticks up to the largest bar (recharts would stretch 1 to 0..4).
  const top = Math.max(1, Math.ceil(Math.max(0, ...rows.flatMap((row) => series.map((s) => s.value(row))))));
  const countAxis = seconds ? {} : { domain: [0, top], tickCount: Math.min(5, top + 1) };
  return (
    <ChartFrame label={label} height={height}>
      <BarChart data={rows as T[]} margin={{ top: 8, right: 8, bottom: 0, left: seconds ? 0 : -16 }}>
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey={category} tick={AXIS_TICK} interval={0} />
        <YAxis tick={AXIS_TICK} tickFormatter={format} allowDecimals={false} {...countAxis} />
        <Tooltip formatter={(value) => format(Number(value))} />
        {series.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />}
        {series.map((s, index) => (
          <Bar
            key={s.name}
            name={s.name}
            dataKey={s.value}
            fill={SERIES_COLOURS[index % SERIES_COLOURS.length]}
            maxBarSize={56}
            // Drawn at once: an animated bar is caught half-grown by whoever looks first.
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ChartFrame>
  );
}
