import { useQuery } from '@tanstack/react-query';
import { useReducer } from 'react';

import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { SelectField } from '@/components/ui/select-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { TextField } from '@/components/ui/text-field';
import { searchTickets } from '@/features/tickets/api/tickets';
import { OutcomeFilter } from '@/features/tickets/components/outcome-filter';
import { TicketsTable } from '@/features/tickets/components/tickets-table';
import { initialTeamTicketsState, teamTicketsReducer } from '@/features/tickets/hooks/team-tickets-reducer';
import { FINISHED_STATUSES, TICKET_SORTS, TICKET_STATUSES } from '@/features/tickets/types/tickets';
import { apiClient } from '@/lib/api-client';
import { humanize } from '@/lib/format';
import type { Page } from '@/types/api';
import { errorMessage } from '@/lib/api-error';

type TypeOption = { key: string; name: string };

const VIEWS = [
  { key: 'active', label: 'Active' },
  { key: 'archive', label: 'Archive' },
] as const;

/** Every ticket of the company for the ticket team: views, search, filters, sorting, pages. */
export function TeamTickets() {
  const [state, dispatch] = useReducer(teamTicketsReducer, undefined, initialTeamTicketsState);
  const { query } = state;
  const tickets = useQuery({
    queryKey: ['tickets', 'tickets', 'search', query],
    queryFn: ({ signal }) => searchTickets(query, signal),
  });
  const types = useQuery({
    queryKey: ['definitions', 'ticket-types', 'options'],
    queryFn: ({ signal }) =>
      apiClient.get<Page<TypeOption>>('/definitions/ticket-types', { query: { page_size: 100 }, signal }),
  });
  const statuses = TICKET_STATUSES.filter((s) => FINISHED_STATUSES.includes(s) === (query.view === 'archive'));
  const filter = (name: 'type' | 'status' | 'outcome' | 'from' | 'to' | 'sort') => (value: string) =>
    dispatch({ type: 'filterChanged', filter: name, value });

  let body;
  if (tickets.isError) {
    body = <ErrorState message={errorMessage(tickets.error)} onRetry={() => void tickets.refetch()} />;
  } else if (!tickets.data) {
    body = <LoadingState label="Loading tickets…" />;
  } else if (tickets.data.items.length === 0) {
    body = (
      <EmptyState title={query.view === 'active' ? 'No active tickets match' : 'No archived tickets match'}>
        Try another search or fewer filters.
      </EmptyState>
    );
  } else {
    body = (
      <>
        <TicketsTable
          tickets={tickets.data.items}
          caption={query.view === 'active' ? 'Active tickets' : 'Archived tickets'}
          busy={tickets.isFetching}
          showSubmitter
        />
        <Pagination
          page={query.page}
          pageSize={tickets.data.page_size}
          total={tickets.data.total}
          itemLabel={tickets.data.total === 1 ? 'ticket' : 'tickets'}
          disabled={tickets.isFetching}
          onPageChange={(page) => dispatch({ type: 'pageChanged', page })}
        />
      </>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <Tabs
        label="Ticket views"
        tabs={VIEWS}
        selected={query.view}
        onSelect={(view) => dispatch({ type: 'viewChanged', view })}
      />
      <form
        role="search"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          dispatch({ type: 'searchSubmitted' });
        }}
      >
        <div className="flex-1">
          <TextField
            label="Search tickets"
            name="q"
            type="search"
            placeholder="Words in the title or data"
            value={state.search}
            onChange={(search) => dispatch({ type: 'searchChanged', search })}
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <SelectField
          label="Type"
          name="type"
          value={query.type ?? ''}
          onChange={filter('type')}
          options={[
            { value: '', label: 'All types' },
            ...(types.data?.items ?? []).map((t) => ({ value: t.key, label: t.name })),
          ]}
        />
        <SelectField
          label="Status"
          name="status"
          value={query.status ?? ''}
          onChange={filter('status')}
          options={[{ value: '', label: 'Any status' }, ...statuses.map((s) => ({ value: s, label: humanize(s) }))]}
        />
        <OutcomeFilter value={query.outcome ?? ''} onChange={filter('outcome')} />
        <TextField label="Created from" name="from" type="date" value={query.from ?? ''} onChange={filter('from')} />
        <TextField label="Created to" name="to" type="date" value={query.to ?? ''} onChange={filter('to')} />
        <SelectField
          label="Sort by"
          name="sort"
          value={query.sort}
          onChange={filter('sort')}
          options={TICKET_SORTS.filter((s) => s.value !== 'relevance' || query.q)}
        />
      </div>
      <div>
        <Button variant="ghost" size="small" onClick={() => dispatch({ type: 'filtersCleared' })}>
          Clear filters
        </Button>
      </div>
      <div aria-live="polite" className="sr-only">
        {tickets.isSuccess && tickets.data ? `${tickets.data.total} tickets found` : ''}
      </div>
      {body}
    </div>
  );
}
