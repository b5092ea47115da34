import type { ReactNode } from 'react';

import { Button } from '@/components/ui/button';
import { toCsv } from '@/features/reports/hooks/csv';
import { saveBlob } from '@/lib/download';
import { formatDuration } from '@/lib/format';

export type Column<T> = {
  label: string;
  /** The raw value the CSV carries (seconds stay seconds). */
  value: (row: T) => string | number | null;
  /** What the table shows, when it differs from the raw value. */
  render?: (row: T) => ReactNode;
  numeric?: boolean;
  /** A number of seconds: the table shows it as a duration (right-aligned), the CSV as seconds. */
  duration?: boolean;
};

function cell<T>(column: Column<T>, row: T): ReactNode {
  if (column.render) return column.render(row);
  const value = column.value(row);
  return column.duration && typeof value === 'number' ? formatDuration(value) : value;
}

type ReportTableProps<T> = {
  caption: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  filename: string;
  emptyText: string;
};

/** A report's table with a "Download CSV" of exactly the rows and columns shown. */
export function ReportTable<T>({ caption, columns, rows, filename, emptyText }: ReportTableProps<T>) {
  const download = () => {
    const csv = toCsv(
      columns.map((c) => c.label),
      rows.map((row) => columns.map((c) => c.value(row))),
    );
    saveBlob(new Blob([csv], { type: 'text/csv;charset=utf-8' }), filename);
  };
  return (
    <div className="mt-4">
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{caption}</caption>
          <thead className="border-b border-slate-200 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              {columns.map((c) => (
                <th
                  key={c.label}
                  scope="col"
                  className={`py-2 pr-4 font-medium ${c.numeric || c.duration ? 'text-right' : ''}`}
                >
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.length === 0 ? (
              <tr>
                <td colSpan={columns.length} className="py-4 text-slate-500">
                  {emptyText}
                </td>
              </tr>
            ) : (
              rows.map((row, index) => (
                <tr key={index} className="border-b border-slate-100 last:border-0">
                  {columns.map((c) => (
                    <td
                      key={c.label}
                      className={`py-2 pr-4 ${c.numeric || c.duration ? 'text-right tabular-nums' : ''}`}
                    >
                      {cell(c, row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      <div className="mt-3">
        <Button variant="secondary" size="small" onClick={download} disabled={rows.length === 0}>
          Download CSV
        </Button>
      </div>
    </div>
  );
}
