import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';

import { AXIS_TICK, ChartFrame, SERIES_COLOURS } from '@/components/charts/category-bars';
import type { DayFigures } from '@/features/reports/hooks/csv';

/** Tickets created per day, stacked by type, with the day's closed tickets as a line. */
export function PerDayChart({ days, types }: { days: DayFigures[]; types: string[] }) {
  return (
    <ChartFrame label="Tickets created and closed per day">
      <ComposedChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
        <CartesianGrid stroke="#e2e8f0" vertical={false} />
        <XAxis dataKey="day" tick={AXIS_TICK} tickFormatter={(day: string) => day.slice(5)} minTickGap={16} />
        <YAxis tick={AXIS_TICK} allowDecimals={false} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={null} />
        {types.map((type, index) => (
          <Bar
            key={type}
            name={`Created: ${type}`}
            dataKey={(d: DayFigures) => d.created[type] ?? 0}
            stackId="created"
            fill={SERIES_COLOURS[index % SERIES_COLOURS.length]}
            maxBarSize={24}
            isAnimationActive={false}
          />
        ))}
        <Line
          name="Closed"
          dataKey="closed"
          stroke="#0f172a"
          strokeWidth={2}
          dot={false}
          type="linear"
          isAnimationActive={false}
        />
      </ComposedChart>
    </ChartFrame>
  );
}
