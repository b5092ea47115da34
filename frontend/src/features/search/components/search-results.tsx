import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';

import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { taskHref, ticketHref } from '@/config/paths';
import { RESULTS_SHOWN } from '@/features/search/api/search';
import { useTaskSearch, useTicketSearch } from '@/features/search/hooks/use-search';
import type { Hits } from '@/features/search/types/search';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

function HitList<T extends { id: string }>({
  title,
  resource,
  render,
  emptyText,
}: {
  title: string;
  resource: UseQueryResult<Hits<T>>;
  render: (hit: T) => React.ReactNode;
  emptyText: string;
}) {
  const data = resource.data;
  const description =
    data && data.total > RESULTS_SHOWN
      ? `The best ${RESULTS_SHOWN} of ${data.total}.`
      : data
        ? `${data.total} found.`
        : undefined;
  return (
    <Card title={title} description={description}>
      {resource.isError ? (
        <ErrorState message={errorMessage(resource.error)} onRetry={() => void resource.refetch()} />
      ) : !data ? (
        <LoadingState />
      ) : data.items.length === 0 ? (
        <p className="text-sm text-slate-600">{emptyText}</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label={title}>
          {data.items.map((hit) => (
            <li key={hit.id} className="flex items-center gap-3 py-2.5">
              {render(hit)}
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function SearchResults({ q, team, worker }: { q: string; team: boolean; worker: boolean }) {
  const tickets = useTicketSearch(q, team);
  const tasks = useTaskSearch(q, team, worker);
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <HitList
        title={team ? 'Tickets' : 'My tickets'}
        resource={tickets}
        emptyText="No ticket matches every word."
        render={(ticket) => (
          <>
            <div className="min-w-0 flex-1">
              <Link to={ticketHref(ticket.id)} className="font-medium text-indigo-700 hover:underline">
                {ticket.number}
              </Link>{' '}
              <span className="text-slate-900">{ticket.title}</span>
              <p className="text-sm text-slate-600">
                {ticket.ticket_type_name ? `${ticket.ticket_type_name} · ` : ''}
                {formatDateTime(ticket.created_at)}
              </p>
            </div>
            <StatusBadge status={ticket.status} />
          </>
        )}
      />
      {(team || worker) && (
        <HitList
          title={team ? 'Tasks' : 'My tasks'}
          resource={tasks}
          emptyText="No task matches every word."
          render={(task) => (
            <>
              <div className="min-w-0 flex-1">
                <Link to={taskHref(task.id)} className="font-medium text-indigo-700 hover:underline">
                  {task.name}
                </Link>
                <p className="truncate text-sm text-slate-600">
                  {task.ticket_number} · {task.ticket_title}
                </p>
              </div>
              <StatusBadge status={task.status} />
            </>
          )}
        />
      )}
    </div>
  );
}
