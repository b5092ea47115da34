import { useState } from 'react';
import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { listMyTickets } from '@/features/tickets/api/tickets';
import { TicketsTable } from '@/features/tickets/components/tickets-table';
import { useResource } from '@/hooks/use-resource';

const PAGE_SIZE = 20;

export function MyTickets() {
  const [page, setPage] = useState(1);
  const tickets = useResource((signal) => listMyTickets(page, PAGE_SIZE, signal), [page]);

  if (tickets.status === 'error') return <ErrorState message={tickets.error ?? ''} onRetry={tickets.reload} />;
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
      <TicketsTable tickets={tickets.data.items} caption="Your tickets" busy={tickets.status === 'loading'} />
      <Pagination
        page={page}
        pageSize={tickets.data.page_size}
        total={tickets.data.total}
        itemLabel={tickets.data.total === 1 ? 'ticket' : 'tickets'}
        disabled={tickets.status === 'loading'}
        onPageChange={setPage}
      />
    </>
  );
}
