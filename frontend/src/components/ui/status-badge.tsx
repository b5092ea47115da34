import { humanize } from '@/lib/format';

const TONES: Record<string, string> = {
  COMPLETED: 'bg-green-100 text-green-800',
  SUBMITTED: 'bg-sky-100 text-sky-800',
  IN_PROGRESS: 'bg-indigo-100 text-indigo-800',
  RUNNING: 'bg-indigo-100 text-indigo-800',
  ASSIGNED: 'bg-indigo-100 text-indigo-800',
  PENDING: 'bg-amber-100 text-amber-800',
  ON_HOLD: 'bg-amber-100 text-amber-800',
  ERROR: 'bg-red-100 text-red-800',
  INCIDENT: 'bg-red-100 text-red-800',
  CANCELLED: 'bg-slate-200 text-slate-700',
  SKIPPED: 'bg-slate-200 text-slate-700',
};

/**
 * A status as a coloured pill; the text always says it, colour only helps. `muted` when
 * something beside it says more (a finished ticket's outcome), so a rejected request's
 * "Completed" does not read as a green success.
 */
export function StatusBadge({ status, muted = false }: { status: string; muted?: boolean }) {
  const tone = muted ? 'bg-slate-100 text-slate-700' : (TONES[status] ?? 'bg-slate-100 text-slate-700');
  return (
    <span className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${tone}`}>
      {humanize(status)}
    </span>
  );
}
