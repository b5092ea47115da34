import { useQuery } from '@tanstack/react-query';
import { useReducer, useState, type ReactNode } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { TextField } from '@/components/ui/text-field';
import { taskDefinitionHref, ticketTypeHref, workflowHref } from '@/config/paths';
import {
  listTaskDefinitions,
  listTicketTypes,
  listWorkflows,
  type ListQuery,
} from '@/features/definitions/api/definitions';
import {
  definitionsListReducer,
  initialDefinitionsListState,
} from '@/features/definitions/hooks/definitions-list-reducer';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';
import type { Page } from '@/types/api';

const PAGE_SIZE = 20;

type Column<T> = { header: string; cell: (row: T) => ReactNode; hideOnSmall?: boolean };

function DefinitionList<T extends { id: string }>({
  what,
  load,
  columns,
  archivable,
}: {
  what: string;
  load: (query: ListQuery, signal: AbortSignal) => Promise<Page<T>>;
  columns: Column<T>[];
  archivable: boolean;
}) {
  const [state, dispatch] = useReducer(definitionsListReducer, initialDefinitionsListState);
  const query: ListQuery = {
    q: state.q || undefined,
    page: state.page,
    page_size: PAGE_SIZE,
    archived: state.archived || undefined,
  };
  const rows = useQuery({
    queryKey: ['definitions', 'list', what, state.q, state.page, state.archived],
    queryFn: ({ signal }) => load(query, signal),
  });

  let body;
  if (rows.isError) body = <ErrorState message={errorMessage(rows.error)} onRetry={() => void rows.refetch()} />;
  else if (!rows.data) body = <LoadingState label={`Loading ${what}…`} />;
  else if (rows.data.items.length === 0)
    body = (
      <EmptyState title={state.q ? `No ${what} match “${state.q}”` : `No ${what} yet`}>
        Upload a bundle to create some.
      </EmptyState>
    );
  else
    body = (
      <>
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
          <table
            className="min-w-full divide-y divide-slate-200 text-left text-sm"
            aria-busy={rows.isFetching || undefined}
          >
            <caption className="sr-only">{humanize(what)}</caption>
            <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
              <tr>
                {columns.map((column) => (
                  <th
                    key={column.header}
                    scope="col"
                    className={`px-4 py-3 ${column.hideOnSmall ? 'hidden md:table-cell' : ''}`}
                  >
                    {column.header}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.data.items.map((row) => (
                <tr key={row.id} className="hover:bg-slate-50">
                  {columns.map((column) => (
                    <td key={column.header} className={`px-4 py-3 ${column.hideOnSmall ? 'hidden md:table-cell' : ''}`}>
                      {column.cell(row)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pagination
          page={state.page}
          pageSize={rows.data.page_size}
          total={rows.data.total}
          itemLabel={what}
          onPageChange={(page) => dispatch({ type: 'pageChanged', page })}
        />
      </>
    );

  return (
    <div className="flex flex-col gap-4">
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
            label={`Search ${what}`}
            name="q"
            type="search"
            placeholder="Key or name"
            value={state.search}
            onChange={(search) => dispatch({ type: 'searchChanged', search })}
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
        {archivable && (
          <label className="flex items-center gap-2 text-sm sm:pb-2">
            <input type="checkbox" checked={state.archived} onChange={() => dispatch({ type: 'archivedToggled' })} />
            Archived
          </label>
        )}
      </form>
      {body}
    </div>
  );
}

const TABS = [
  { key: 'workflows', label: 'Workflows' },
  { key: 'tasks', label: 'Tasks' },
  { key: 'ticket-types', label: 'Ticket types' },
] as const;

type TabKey = (typeof TABS)[number]['key'];

const link = (to: string, text: string) => (
  <Link to={to} className="font-medium text-indigo-700 hover:underline">
    {text}
  </Link>
);

/** Workflows, tasks and ticket types of the company, each searchable. */
export function DefinitionsLists() {
  const [tab, setTab] = useState<TabKey>('workflows');
  return (
    <div>
      <Tabs label="Definitions" tabs={TABS} selected={tab} onSelect={setTab} />
      {tab === 'workflows' && (
        <DefinitionList
          key="workflows"
          what="workflows"
          load={listWorkflows}
          archivable
          columns={[
            { header: 'Name', cell: (w) => link(workflowHref(w.key), w.name) },
            { header: 'Key', cell: (w) => <code>{w.key}</code> },
            { header: 'Version', cell: (w) => `v${w.latest_version}` },
            { header: 'Updated', cell: (w) => formatDateTime(w.updated_at), hideOnSmall: true },
          ]}
        />
      )}
      {tab === 'tasks' && (
        <DefinitionList
          key="tasks"
          what="tasks"
          load={listTaskDefinitions}
          archivable={false}
          columns={[
            {
              header: 'Name',
              cell: (t) => link(taskDefinitionHref(t.workflow_key, t.key, t.workflow_version), t.name),
            },
            { header: 'Key', cell: (t) => <code>{t.key}</code> },
            { header: 'Type', cell: (t) => humanize(t.task_type) },
            {
              header: 'Workflow',
              cell: (t) => link(workflowHref(t.workflow_key), `${t.workflow_name} v${t.workflow_version}`),
              hideOnSmall: true,
            },
          ]}
        />
      )}
      {tab === 'ticket-types' && (
        <DefinitionList
          key="ticket-types"
          what="ticket types"
          load={listTicketTypes}
          archivable
          columns={[
            { header: 'Name', cell: (t) => link(ticketTypeHref(t.key), t.name) },
            { header: 'Prefix', cell: (t) => <code>{t.prefix}</code> },
            { header: 'Version', cell: (t) => `v${t.latest_version}` },
            { header: 'Workflow', cell: (t) => link(workflowHref(t.workflow_key), t.workflow_key), hideOnSmall: true },
          ]}
        />
      )}
    </div>
  );
}
