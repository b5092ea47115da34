import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';

import { CategoryBars, type Series } from '@/components/charts/category-bars';
import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { ReportTable, type Column } from '@/features/reports/components/report-table';
import type { DateRangeQuery } from '@/features/reports/types/reports';
import { errorMessage } from '@/lib/api-error';

type SectionFrame = {
  title: string;
  description: string;
  /** Spans both columns: a chart over days, or a table with many columns. */
  wide?: boolean;
};

/** One report's card: loading, its error with a retry, or what `children` makes of the data. */
export function ReportSection<T>({
  title,
  description,
  wide = false,
  resource,
  children,
}: SectionFrame & { resource: UseQueryResult<T>; children: (data: NonNullable<T>) => ReactNode }) {
  return (
    <div className={wide ? 'xl:col-span-2' : undefined}>
      <Card title={title} description={description}>
        {resource.isError ? (
          <ErrorState
            title={`Could not load ${title.toLowerCase()}`}
            message={errorMessage(resource.error)}
            onRetry={() => void resource.refetch()}
          />
        ) : resource.data ? (
          children(resource.data as NonNullable<T>)
        ) : (
          <LoadingState />
        )}
      </Card>
    </div>
  );
}

/** Bars per category of a breakdown's rows; `seconds` shows durations. */
export type BreakdownBars<R> = { label: string; category: (row: R) => string; series: Series<R>[]; seconds?: boolean };

type ReportBreakdownProps<T, R> = SectionFrame & {
  resource: UseQueryResult<T>;
  range: DateRangeQuery;
  /** The rows of the report the chart and the table show. */
  rows: (report: NonNullable<T>) => readonly R[];
  /** Above the table: bars per category (left out when there are no rows), or a chart of its own. */
  chart?: BreakdownBars<R> | ((report: NonNullable<T>) => ReactNode);
  /** The table's caption, and the CSV's name before its range. */
  caption: string;
  csvName: string;
  emptyText: string;
  columns: ReadonlyArray<Column<R>>;
};

/** A report's breakdown: its rows as a chart, then as a table with a CSV of the range. */
export function ReportBreakdown<T, R>({
  resource,
  range,
  rows: rowsOf,
  chart,
  caption,
  csvName,
  emptyText,
  columns,
  ...frame
}: ReportBreakdownProps<T, R>) {
  return (
    <ReportSection {...frame} resource={resource}>
      {(report) => {
        const rows = rowsOf(report);
        let figure: ReactNode = null;
        if (typeof chart === 'function') figure = chart(report);
        else if (chart && rows.length > 0) figure = <CategoryBars {...chart} rows={rows} />;
        return (
          <>
            {figure}
            <ReportTable
              caption={caption}
              filename={`${csvName}_${range.from}_${range.to}.csv`}
              emptyText={emptyText}
              rows={rows}
              columns={columns}
            />
          </>
        );
      }}
    </ReportSection>
  );
}
