import { useEffect, useReducer } from 'react';

import { getUser } from '@/features/users/api/get-user';
import { initialUserDetailState, userDetailReducer } from '@/features/users/hooks/user-detail-reducer';
import { errorMessage } from '@/lib/api-error';

export function useUserDetail(userId: string) {
  const [state, dispatch] = useReducer(userDetailReducer, initialUserDetailState);
  const { reloads } = state;

  useEffect(() => {
    const controller = new AbortController();
    getUser(userId, controller.signal).then(
      (user) => dispatch({ type: 'loaded', user }),
      (error: unknown) => {
        if (!controller.signal.aborted) dispatch({ type: 'failed', error: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [userId, reloads]);

  return { state, dispatch };
}
