import type { Page, User } from '@/types/api';

export const USERS_PAGE_SIZE = 20;

export type UsersListState = {
  /** What is typed in the search box. */
  search: string;
  /** The search the shown (or loading) results are for. */
  query: string;
  page: number;
  pageSize: number;
  status: 'loading' | 'ready' | 'error';
  result: Page<User> | null;
  error: string | null;
  /** Bumped to load the same query and page again. */
  reloads: number;
};

export type UsersListAction =
  | { type: 'searchChanged'; search: string }
  | { type: 'searchSubmitted' }
  | { type: 'pageChanged'; page: number }
  | { type: 'loaded'; result: Page<User> }
  | { type: 'failed'; error: string }
  | { type: 'retried' };

export function initialUsersListState(pageSize: number = USERS_PAGE_SIZE): UsersListState {
  return {
    search: '',
    query: '',
    page: 1,
    pageSize,
    status: 'loading',
    result: null,
    error: null,
    reloads: 0,
  };
}

export function usersListReducer(state: UsersListState, action: UsersListAction): UsersListState {
  switch (action.type) {
    case 'searchChanged':
      return { ...state, search: action.search };
    case 'searchSubmitted':
      // A new search always starts from the first page; resubmitting the same one reloads it.
      return {
        ...state,
        query: state.search.trim(),
        page: 1,
        status: 'loading',
        error: null,
        reloads: state.reloads + 1,
      };
    case 'pageChanged':
      if (action.page < 1 || action.page === state.page) return state;
      return { ...state, page: action.page, status: 'loading', error: null };
    case 'loaded':
      return { ...state, status: 'ready', result: action.result, error: null };
    case 'failed':
      return { ...state, status: 'error', error: action.error };
    case 'retried':
      return { ...state, status: 'loading', error: null, reloads: state.reloads + 1 };
  }
}
