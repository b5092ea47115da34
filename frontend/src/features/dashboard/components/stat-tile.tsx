import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** One figure with its label; a link when there is a page listing what it counts. */
export function StatTile({
  label,
  value,
  to,
  tone = 'plain',
}: {
  label: string;
  value: ReactNode;
  to?: string;
  tone?: 'plain' | 'alert';
}) {
  const body = (
    <>
      <span className={`text-2xl font-bold tabular-nums ${tone === 'alert' ? 'text-red-700' : 'text-slate-900'}`}>
        {value}
      </span>
      <span className="text-sm text-slate-600">{label}</span>
    </>
  );
  const className = 'flex flex-col gap-0.5 rounded-lg border border-slate-200 bg-white px-4 py-3 shadow-sm';
  return to ? (
    <Link to={to} className={`${className} hover:border-indigo-400 hover:bg-indigo-50`}>
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}
