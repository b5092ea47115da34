import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { listMyTickets } from '@/features/tickets/api/tickets';
import { OutcomeFilter } from '@/features/tickets/components/outcome-filter';
import { TicketsTable } from '@/features/tickets/components/tickets-table';
import { errorMessage } from '@/lib/api-error';

const PAGE_SIZE = 20;

export function MyTickets() {
  const [page, setPage] = useState(1);
  const [outcome, setOutcome] = useState('');
  const tickets = useQuery({
    queryKey: ['tickets', 'tickets', 'mine', page, outcome],
    queryFn: ({ signal }) => listMyTickets({ page, page_size: PAGE_SIZE, outcome: outcome || undefined }, signal),
  });

  let body;
  if (tickets.isError) {
    body = <ErrorState message={errorMessage(tickets.error)} onRetry={() => void tickets.refetch()} />;
  } else if (!tickets.data) {
    body = <LoadingState label="Loading your tickets…" />;
  } else if (tickets.data.total === 0 && !outcome) {
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
  } else if (tickets.data.total === 0) {
    body = <EmptyState title="None of your tickets ended so">Choose another outcome.</EmptyState>;
  } else {
    body = (
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
  return (
    <div className="flex flex-col gap-4">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <OutcomeFilter
          value={outcome}
          onChange={(value) => {
            setOutcome(value);
            setPage(1);
          }}
        />
      </div>
      {body}
    </div>
  );
}
