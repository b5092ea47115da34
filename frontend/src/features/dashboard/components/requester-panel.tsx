import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { paths, ticketHref } from '@/config/paths';
import { useMyOpenTickets } from '@/features/dashboard/hooks/use-dashboard';
import type { WaitingTicket } from '@/features/dashboard/types/dashboard';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

/** What an open ticket waits on, in the requester's words. */
export function waitingOn(ticket: WaitingTicket): string {
  if (ticket.status === 'ON_HOLD') return 'On hold';
  if (ticket.status === 'ERROR') return 'A problem the team is looking at';
  if (!ticket.waiting_on) return 'Starting';
  if (ticket.task_status === 'ERROR') return `${ticket.waiting_on}: a problem the team is looking at`;
  if (ticket.assigned) return `${ticket.waiting_on}: with a team member`;
  if (ticket.task_status === 'PENDING') return `${ticket.waiting_on}: waiting for a team member`;
  return `${ticket.waiting_on}: in progress`;
}

export function RequesterPanel() {
  const tickets = useMyOpenTickets();
  return (
    <Card title="My open tickets" description="What each of your open tickets is waiting on, oldest first.">
      {tickets.isError ? (
        <ErrorState message={errorMessage(tickets.error)} onRetry={() => void tickets.refetch()} />
      ) : !tickets.data ? (
        <LoadingState />
      ) : tickets.data.total === 0 ? (
        <p className="text-sm text-slate-600">
          You have no open tickets.{' '}
          <Link to={paths.submitTicket} className="font-medium text-indigo-700 hover:underline">
            Submit a ticket
          </Link>
        </p>
      ) : (
        <>
          <ul className="divide-y divide-slate-100" aria-label="My open tickets">
            {tickets.data.items.map((ticket) => (
              <li key={ticket.id} className="flex flex-col gap-1 py-2.5 sm:flex-row sm:items-center sm:gap-3">
                <div className="min-w-0 flex-1">
                  <Link to={ticketHref(ticket.id)} className="font-medium text-indigo-700 hover:underline">
                    {ticket.number}
                  </Link>{' '}
                  <span className="text-slate-900">{ticket.title}</span>
                  <p className="text-sm text-slate-600">
                    Waiting on: {waitingOn(ticket)} · since {formatDateTime(ticket.status_changed_at)}
                  </p>
                </div>
                <StatusBadge status={ticket.status} />
              </li>
            ))}
          </ul>
          {tickets.data.total > tickets.data.items.length && (
            <p className="mt-2 text-sm">
              <Link to={paths.myTickets} className="font-medium text-indigo-700 hover:underline">
                All {tickets.data.total} open tickets
              </Link>
            </p>
          )}
        </>
      )}
    </Card>
  );
}
