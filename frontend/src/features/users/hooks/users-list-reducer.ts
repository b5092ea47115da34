export const USERS_PAGE_SIZE = 20;

/** What the users list asks for; the answer itself lives in the query cache. */
export type UsersListState = {
  /** What is typed in the search box. */
  search: string;
  /** The search the shown (or loading) results are for. */
  query: string;
  page: number;
  pageSize: number;
};

export type UsersListAction =
  { type: 'searchChanged'; search: string } | { type: 'searchSubmitted' } | { type: 'pageChanged'; page: number };

export function initialUsersListState(pageSize: number = USERS_PAGE_SIZE): UsersListState {
  return { search: '', query: '', page: 1, pageSize };
}

export function usersListReducer(state: UsersListState, action: UsersListAction): UsersListState {
  switch (action.type) {
    case 'searchChanged':
      return { ...state, search: action.search };
    case 'searchSubmitted':
      // A new search always starts from the first page.
      return { ...state, query: state.search.trim(), page: 1 };
    case 'pageChanged':
      if (action.page < 1 || action.page === state.page) return state;
      return { ...state, page: action.page };
  }
}

/** Whether submitting the typed search asks for exactly what is shown (so it is read again). */
export function isSameSearch(state: UsersListState): boolean {
  return state.search.trim() === state.query && state.page === 1;
}
