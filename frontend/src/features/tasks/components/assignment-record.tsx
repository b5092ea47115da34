import type { AssignmentRecord } from '@/features/tasks/types/tasks';
import { formatDateTime } from '@/lib/format';

function madeBy(record: AssignmentRecord): string {
  if (record.made_by === 'person') return `By ${record.actor_name ?? 'an administrator'}`;
  return `By the ${record.strategy.replace(/_/g, ' ')} rule`;
}

type AssignmentRecordListProps = {
  records: AssignmentRecord[];
  /** The task's reason, for a task assigned before assignments were recorded one by one. */
  explanation: string | null;
};

/** Why the task is with its assignee, then every earlier assignment: to whom, by whom or what, and why. */
export function AssignmentRecordList({ records, explanation }: AssignmentRecordListProps) {
  if (records.length === 0) {
    return explanation ? (
      <p className="text-slate-900 first-letter:uppercase" data-testid="assignment-explanation">
        {explanation}
      </p>
    ) : (
      <p className="text-sm text-slate-600">Not assigned yet.</p>
    );
  }
  const newestFirst = [...records].reverse();
  return (
    <ol className="flex flex-col gap-4" aria-label="Assignments">
      {newestFirst.map((record, index) => (
        <li
          key={record.id}
          className={index === 0 ? 'text-sm' : 'border-l-2 border-slate-200 pl-3 text-sm text-slate-700'}
        >
          {index === 1 && <p className="mb-2 text-xs font-semibold tracking-wide text-slate-500 uppercase">Before</p>}
          <p className="font-medium text-slate-900">
            {record.assignee_name ?? 'A former worker'}
            {record.previous_assignee_name && (
              <span className="font-normal text-slate-600"> (from {record.previous_assignee_name})</span>
            )}
          </p>
          <p
            className={index === 0 ? 'text-base text-slate-900 first-letter:uppercase' : 'first-letter:uppercase'}
            data-testid={index === 0 ? 'assignment-explanation' : undefined}
          >
            {record.explanation}
          </p>
          <p className="text-xs text-slate-500">
            {madeBy(record)} · <time dateTime={record.created_at}>{formatDateTime(record.created_at)}</time>
          </p>
        </li>
      ))}
    </ol>
  );
}
