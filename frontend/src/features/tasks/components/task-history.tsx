import { JsonView } from '@/components/ui/json-view';
import { Timestamp } from '@/components/ui/timestamp';
import type { HistoryEntry } from '@/features/tasks/types/tasks';
import { humanize } from '@/lib/format';
import { actorLabel } from '@/lib/people';

/** Who did what to a task (or workflow), and when; data changes can be expanded. */
export function HistoryList({ entries }: { entries: HistoryEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-600">No history yet.</p>;
  return (
    <ol className="flex flex-col divide-y divide-slate-100">
      {entries.map((entry) => (
        <li key={entry.id} className="py-2 text-sm">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <span className="font-medium text-slate-900">{humanize(entry.action)}</span>
            <Timestamp className="text-xs text-slate-500" value={entry.occurred_at} />
          </div>
          <p className="text-slate-700">{entry.detail}</p>
          <p className="text-xs text-slate-500" data-testid="history-actor">
            by {actorLabel(entry)}
          </p>
          {(entry.data_after || entry.info) && (
            <details className="mt-1">
              <summary className="cursor-pointer text-xs text-indigo-700">Data</summary>
              <div className="mt-1 grid gap-2 md:grid-cols-2">
                {entry.data_before && <JsonView label="Data before" value={entry.data_before} />}
                {entry.data_after && <JsonView label="Data after" value={entry.data_after} />}
                {entry.info && <JsonView label="Details" value={entry.info} />}
              </div>
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
