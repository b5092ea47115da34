import { useCallback, useEffect, useReducer, type DependencyList } from 'react';

import { initialResourceState, resourceReducer, type ResourceState } from '@/hooks/resource-reducer';
import { ApiError, errorMessage } from '@/lib/api-error';

export type Resource<T> = ResourceState<T> & {
  reload: () => void;
  /** Shows data an action answered with, without a new request. */
  replace: (data: T) => void;
};

/**
 * Loads what a page shows, again whenever `deps` change or `reload` is called; an answer for
 * out-of-date deps is dropped (the request is aborted).
 */
export function useResource<T>(load: (signal: AbortSignal) => Promise<T>, deps: DependencyList): Resource<T> {
  const [state, dispatch] = useReducer(resourceReducer<T>, undefined, () => initialResourceState<T>());
  const { reloads } = state;

  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) dispatch({ type: 'loaded', data });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        dispatch({
          type: 'failed',
          error: errorMessage(error),
          status: error instanceof ApiError ? error.status : null,
        });
      },
    );
    return () => controller.abort();
    // `load` is a fresh closure every render; the caller's deps say when it changes meaning.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, reloads]);

  const reload = useCallback(() => dispatch({ type: 'reloaded' }), []);
  const replace = useCallback((data: T) => dispatch({ type: 'replaced', data }), []);
  return { ...state, reload, replace };
}
