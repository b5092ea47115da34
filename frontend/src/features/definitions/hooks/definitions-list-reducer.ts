export type DefinitionsListState = { search: string; q: string; page: number; archived: boolean };

export type DefinitionsListAction =
  | { type: 'searchChanged'; search: string }
  | { type: 'searchSubmitted' }
  | { type: 'archivedToggled' }
  | { type: 'pageChanged'; page: number };

export const initialDefinitionsListState: DefinitionsListState = { search: '', q: '', page: 1, archived: false };

export function definitionsListReducer(
  state: DefinitionsListState,
  action: DefinitionsListAction,
): DefinitionsListState {
  switch (action.type) {
    case 'searchChanged':
      return { ...state, search: action.search };
    case 'searchSubmitted':
      return { ...state, q: state.search.trim(), page: 1 };
    case 'archivedToggled':
      return { ...state, archived: !state.archived, page: 1 };
    case 'pageChanged':
      return action.page < 1 || action.page === state.page ? state : { ...state, page: action.page };
  }
}
