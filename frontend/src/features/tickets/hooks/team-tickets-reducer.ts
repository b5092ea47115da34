import type { TeamTicketsQuery } from '@/features/tickets/types/tickets';

export const TEAM_PAGE_SIZE = 20;

export type TeamTicketsState = {
  /** What is typed in the search box; applied when the search is submitted. */
  search: string;
  query: TeamTicketsQuery;
};

type Filter = 'type' | 'status' | 'outcome' | 'from' | 'to' | 'sort';

export type TeamTicketsAction =
  | { type: 'viewChanged'; view: TeamTicketsQuery['view'] }
  | { type: 'searchChanged'; search: string }
  | { type: 'searchSubmitted' }
  | { type: 'filterChanged'; filter: Filter; value: string }
  | { type: 'filtersCleared' }
  | { type: 'pageChanged'; page: number };

export function initialTeamTicketsState(): TeamTicketsState {
  return { search: '', query: { view: 'active', sort: '-created_at', page: 1, page_size: TEAM_PAGE_SIZE } };
}

export function teamTicketsReducer(state: TeamTicketsState, action: TeamTicketsAction): TeamTicketsState {
  // Anything that changes which tickets match starts again from the first page.
  switch (action.type) {
    case 'viewChanged':
      if (action.view === state.query.view) return state;
      // A status filter from one view rarely exists in the other.
      return { ...state, query: { ...state.query, view: action.view, status: undefined, page: 1 } };
    case 'searchChanged':
      return { ...state, search: action.search };
    case 'searchSubmitted': {
      const q = state.search.trim() || undefined;
      // Searching offers relevance order; clearing the search leaves relevance for newest first.
      const sort = q ? state.query.sort : state.query.sort === 'relevance' ? '-created_at' : state.query.sort;
      return { ...state, query: { ...state.query, q, sort, page: 1 } };
    }
    case 'filterChanged':
      return { ...state, query: { ...state.query, [action.filter]: action.value || undefined, page: 1 } };
    case 'filtersCleared':
      return { search: '', query: { ...initialTeamTicketsState().query, view: state.query.view } };
    case 'pageChanged':
      if (action.page < 1 || action.page === state.query.page) return state;
      return { ...state, query: { ...state.query, page: action.page } };
  }
}
