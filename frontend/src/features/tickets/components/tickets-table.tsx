import { Link } from 'react-router';

import { DueDate } from '@/components/ui/due-date';
import { StatusBadge } from '@/components/ui/status-badge';
import { Timestamp } from '@/components/ui/timestamp';
import { ticketHref } from '@/config/paths';
import { OutcomeBadge } from '@/components/ui/outcome-badge';
import type { Ticket } from '@/features/tickets/types/tickets';
import { submitterLabel } from '@/features/tickets/utils/people';

type TicketsTableProps = {
  tickets: Ticket[];
  caption: string;
  busy?: boolean;
  showSubmitter?: boolean;
};

export function TicketsTable({ tickets, caption, busy = false, showSubmitter = false }: TicketsTableProps) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm" aria-busy={busy || undefined}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              Number
            </th>
            <th scope="col" className="px-4 py-3">
              Title
            </th>
            <th scope="col" className="hidden px-4 py-3 md:table-cell">
              Type
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            <th scope="col" className="px-4 py-3">
              Outcome
            </th>
            <th scope="col" className="hidden px-4 py-3 lg:table-cell">
              Current task
            </th>
            {showSubmitter && (
              <th scope="col" className="hidden px-4 py-3 lg:table-cell">
                Submitted by
              </th>
            )}
            <th scope="col" className="hidden px-4 py-3 md:table-cell">
              Resolution due
            </th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell">
              Created
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tickets.map((ticket) => (
            <tr key={ticket.id} className="hover:bg-slate-50">
              <td className="px-4 py-3 font-medium whitespace-nowrap">
                <Link to={ticketHref(ticket.id)} className="text-indigo-700 hover:underline">
                  {ticket.number}
                </Link>
              </td>
              <td className="px-4 py-3 text-slate-800">{ticket.title}</td>
              <td className="hidden px-4 py-3 text-slate-700 md:table-cell">
                {ticket.ticket_type_name ?? ticket.ticket_type_key}
              </td>
              <td className="px-4 py-3" data-testid="ticket-status">
                <StatusBadge status={ticket.status} muted={Boolean(ticket.outcome)} />
              </td>
              <td className="px-4 py-3">
                {ticket.outcome ? (
                  <span className="flex flex-col items-start gap-1">
                    <OutcomeBadge outcome={ticket.outcome} />
                    {ticket.outcome.message && (
                      <span className="line-clamp-2 max-w-xs text-xs text-slate-600" title={ticket.outcome.message}>
                        {ticket.outcome.message}
                      </span>
                    )}
                  </span>
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td className="hidden px-4 py-3 text-slate-700 lg:table-cell">{ticket.current_task_name ?? '—'}</td>
              {showSubmitter && (
                <td className="hidden px-4 py-3 break-words text-slate-700 lg:table-cell">{submitterLabel(ticket)}</td>
              )}
              <td className="hidden px-4 py-3 whitespace-nowrap text-slate-700 md:table-cell">
                <DueDate due={ticket.resolution_due_at} overdue={ticket.overdue} />
              </td>
              <td className="hidden px-4 py-3 whitespace-nowrap text-slate-700 sm:table-cell">
                <Timestamp value={ticket.created_at} mode="relative" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
