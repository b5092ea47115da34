import { useEffect, useReducer } from 'react';

import { listUsers } from '@/features/users/api/list-users';
import { initialUsersListState, usersListReducer } from '@/features/users/hooks/users-list-reducer';
import { errorMessage } from '@/lib/api-error';

export function useUsersList() {
  const [state, dispatch] = useReducer(usersListReducer, undefined, () => initialUsersListState());
  const { query, page, pageSize, reloads } = state;

  useEffect(() => {
    // Aborting on change keeps a slow answer for an old search from replacing a newer one.
    const controller = new AbortController();
    listUsers({ q: query, page, page_size: pageSize }, controller.signal).then(
      (result) => dispatch({ type: 'loaded', result }),
      (error: unknown) => {
        if (!controller.signal.aborted) dispatch({ type: 'failed', error: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [query, page, pageSize, reloads]);

  return { state, dispatch };
}
