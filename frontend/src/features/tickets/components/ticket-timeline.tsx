import { StatusBadge } from '@/components/ui/status-badge';
import { Timestamp } from '@/components/ui/timestamp';
import { OutcomeBadge } from '@/components/ui/outcome-badge';
import type { TicketOutcome, TimelineEntry } from '@/features/tickets/types/tickets';
import { humanize } from '@/lib/format';

function assigneeText(entry: TimelineEntry): string | null {
  if (!entry.assignee_id || !['task.assigned', 'task.created', 'task.started'].includes(entry.event_type)) return null;
  const who = entry.assignee_name ?? 'a worker';
  return entry.event_type === 'task.started' ? `Started by ${who}` : `Assigned to ${who}`;
}

type TicketTimelineProps = {
  entries: TimelineEntry[];
  /** Shown on the entry of the workflow's end. */
  outcome?: TicketOutcome | null;
};

export function TicketTimeline({ entries, outcome }: TicketTimelineProps) {
  if (entries.length === 0) return <p className="text-sm text-slate-600">The workflow has not started yet.</p>;
  return (
    <ol className="relative flex flex-col gap-4 border-l-2 border-slate-200 pl-4">
      {entries.map((entry) => {
        const assignee = assigneeText(entry);
        return (
          <li key={entry.id} className="relative">
            <span className="absolute top-1.5 -left-[1.4rem] h-3 w-3 rounded-full bg-indigo-500" aria-hidden="true" />
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <span className="font-medium text-slate-900">
                {entry.task_name ? `${entry.task_name}: ` : ''}
                {humanize(entry.event_type)}
              </span>
              {entry.task_status && <StatusBadge status={entry.task_status} />}
              {entry.event_type === 'workflow.completed' && outcome && <OutcomeBadge outcome={outcome} />}
            </div>
            {assignee && <p className="text-sm text-slate-700">{assignee}</p>}
            {entry.detail && <p className="text-sm text-slate-700">{entry.detail}</p>}
            <p className="text-xs text-slate-500">
              <Timestamp value={entry.occurred_at} />
            </p>
          </li>
        );
      })}
    </ol>
  );
}
