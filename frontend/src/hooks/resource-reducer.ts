export type ResourceState<T> = {
  status: 'loading' | 'ready' | 'error';
  data: T | null;
  error: string | null;
  /** HTTP status of the last failure (404 pages say "Not found" instead of a generic error). */
  errorStatus: number | null;
  /** Bumped to load again (retry, or refresh after an action). */
  reloads: number;
};

export type ResourceAction<T> =
  | { type: 'loaded'; data: T }
  | { type: 'failed'; error: string; status: number | null }
  | { type: 'reloaded' }
  | { type: 'replaced'; data: T };

export function initialResourceState<T>(): ResourceState<T> {
  return { status: 'loading', data: null, error: null, errorStatus: null, reloads: 0 };
}

export function resourceReducer<T>(state: ResourceState<T>, action: ResourceAction<T>): ResourceState<T> {
  switch (action.type) {
    case 'loaded':
      return { ...state, status: 'ready', data: action.data, error: null, errorStatus: null };
    case 'failed':
      return { ...state, status: 'error', error: action.error, errorStatus: action.status };
    case 'reloaded':
      // The shown data stays while the next answer loads, so the page does not flash empty.
      return { ...state, status: 'loading', error: null, errorStatus: null, reloads: state.reloads + 1 };
    case 'replaced':
      // An action answered with the new state of the resource: no need to load it again.
      return { ...state, status: 'ready', data: action.data, error: null, errorStatus: null };
  }
}
