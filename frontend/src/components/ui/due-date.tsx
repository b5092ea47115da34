import { formatDateTime } from '@/lib/format';

/** A due time, with an "Overdue" mark when it passed with the work still open. */
export function DueDate({ due, overdue = false }: { due?: string | null; overdue?: boolean }) {
  if (!due) return <span className="text-slate-400">—</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-1.5">
      <time dateTime={due} className={overdue ? 'font-medium text-red-700' : undefined}>
        {formatDateTime(due)}
      </time>
      {overdue && <span className="rounded-full bg-red-100 px-2 py-0.5 text-xs font-medium text-red-800">Overdue</span>}
    </span>
  );
}
