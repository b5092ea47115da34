import { useReducer } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { TextField } from '@/components/ui/text-field';
import { adminUserHref } from '@/config/paths';
import { initialUsersListState, isSameSearch, usersListReducer } from '@/features/users/hooks/users-list-reducer';
import { useUsersPage } from '@/features/users/hooks/use-users';
import { queryErrorMessage } from '@/lib/query';
import type { User } from '@/types/api';

function StatusBadge({ active }: { active: boolean }) {
  return active ? (
    <span className="rounded-full bg-green-100 px-2.5 py-0.5 text-xs font-medium text-green-800">Active</span>
  ) : (
    <span className="rounded-full bg-slate-200 px-2.5 py-0.5 text-xs font-medium text-slate-700">Deactivated</span>
  );
}

function UsersTable({ users, busy }: { users: User[]; busy: boolean }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm" aria-busy={busy || undefined}>
        <caption className="sr-only">Users of your company</caption>
        <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              Name
            </th>
            <th scope="col" className="px-4 py-3">
              Email
            </th>
            <th scope="col" className="hidden px-4 py-3 md:table-cell">
              System roles
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((user) => (
            <tr key={user.id} className="hover:bg-slate-50">
              <td className="px-4 py-3 font-medium whitespace-nowrap">
                <Link to={adminUserHref(user.id)} className="text-indigo-700 hover:underline">
                  {user.first_name} {user.last_name}
                </Link>
              </td>
              <td className="px-4 py-3 break-all text-slate-700">{user.email}</td>
              <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{user.system_roles.join(', ')}</td>
              <td className="px-4 py-3">
                <StatusBadge active={user.is_active} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function UsersList() {
  const [state, dispatch] = useReducer(usersListReducer, undefined, () => initialUsersListState());
  const { query, page, pageSize } = state;
  const users = useUsersPage({ q: query, page, page_size: pageSize });
  const result = users.data;
  const loading = users.isFetching;

  let body;
  if (users.isError) {
    body = <ErrorState message={queryErrorMessage(users.error) ?? ''} onRetry={() => void users.refetch()} />;
  } else if (!result) {
    body = <LoadingState label="Loading users…" />;
  } else if (result.items.length === 0) {
    body = (
      <EmptyState title={query ? `No users match “${query}”` : 'No users yet'}>
        {query ? 'Try another name or email address.' : 'Create the first user of your company.'}
      </EmptyState>
    );
  } else {
    body = (
      <>
        <UsersTable users={result.items} busy={loading} />
        <Pagination
          page={page}
          pageSize={result.page_size}
          total={result.total}
          itemLabel={result.total === 1 ? 'user' : 'users'}
          disabled={loading}
          onPageChange={(next) => dispatch({ type: 'pageChanged', page: next })}
        />
      </>
    );
  }

  return (
    <div className="flex flex-col gap-4">
      <form
        role="search"
        className="flex flex-col gap-2 sm:flex-row sm:items-end"
        onSubmit={(event) => {
          event.preventDefault();
          // The same search again reads it again; a new one is a new query.
          if (isSameSearch(state)) void users.refetch();
          else dispatch({ type: 'searchSubmitted' });
        }}
      >
        <div className="flex-1">
          <TextField
            label="Search users"
            name="q"
            type="search"
            placeholder="Name or email"
            value={state.search}
            onChange={(search) => dispatch({ type: 'searchChanged', search })}
          />
        </div>
        <Button type="submit" variant="secondary">
          Search
        </Button>
      </form>
      <div aria-live="polite" className="sr-only">
        {!loading && !users.isError && result ? `${result.total} ${result.total === 1 ? 'user' : 'users'} found` : ''}
      </div>
      {body}
    </div>
  );
}
