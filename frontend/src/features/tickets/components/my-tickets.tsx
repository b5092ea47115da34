import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { listMyTickets } from '@/features/tickets/api/tickets';
import { TicketsTable } from '@/features/tickets/components/tickets-table';
import { errorMessage } from '@/lib/api-error';

const PAGE_SIZE = 20;

export function MyTickets() {
  const [page, setPage] = useState(1);
  const tickets = useQuery({
    queryKey: ['tickets', 'tickets', 'mine', page],
    queryFn: ({ signal }) => listMyTickets(page, PAGE_SIZE, signal),
  });

  if (tickets.isError)
    return <ErrorState message={errorMessage(tickets.error)} onRetry={() => void tickets.refetch()} />;
  if (!tickets.data) return <LoadingState label="Loading your tickets…" />;
  if (tickets.data.total === 0) {
    return (
      <EmptyState
        title="You have not submitted any tickets yet"
        action={
          <Link to={paths.submitTicket} className={buttonClassName()}>
            Submit a ticket
          </Link>
        }
      />
    );
  }
  return (
    <>
      <TicketsTable tickets={tickets.data.items} caption="Your tickets" busy={tickets.isFetching} />
      <Pagination
        page={page}
        pageSize={tickets.data.page_size}
        total={tickets.data.total}
        itemLabel={tickets.data.total === 1 ? 'ticket' : 'tickets'}
        disabled={tickets.isFetching}
        onPageChange={setPage}
      />
    </>
  );
}
