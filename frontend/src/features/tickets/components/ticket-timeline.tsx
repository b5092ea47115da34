import { StatusBadge } from '@/components/ui/status-badge';
import type { TimelineEntry } from '@/features/tickets/types/tickets';
import { formatDateTime, humanize } from '@/lib/format';

export function TicketTimeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-slate-600">The workflow has not started yet.</p>;
  return (
    <ol className="relative flex flex-col gap-4 border-l-2 border-slate-200 pl-4">
      {entries.map((entry) => (
        <li key={entry.id} className="relative">
          <span className="absolute top-1.5 -left-[1.4rem] h-3 w-3 rounded-full bg-indigo-500" aria-hidden="true" />
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <span className="font-medium text-slate-900">
              {entry.task_name ? `${entry.task_name}: ` : ''}
              {humanize(entry.event_type)}
            </span>
            {entry.task_status && <StatusBadge status={entry.task_status} />}
          </div>
          {entry.detail && <p className="text-sm text-slate-700">{entry.detail}</p>}
          <p className="text-xs text-slate-500">
            <time dateTime={entry.occurred_at}>{formatDateTime(entry.occurred_at)}</time>
          </p>
        </li>
      ))}
    </ol>
  );
}
