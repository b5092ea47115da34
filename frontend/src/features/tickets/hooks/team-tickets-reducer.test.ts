import { describe, expect, it } from 'vitest';

import { initialTeamTicketsState, teamTicketsReducer } from '@/features/tickets/hooks/team-tickets-reducer';

describe('teamTicketsReducer', () => {
  const onPage3 = teamTicketsReducer(initialTeamTicketsState(), { type: 'pageChanged', page: 3 });

  it('shows active tickets, newest first, from page 1', () => {
    expect(initialTeamTicketsState().query).toEqual({ view: 'active', sort: '-created_at', page: 1, page_size: 20 });
  });

  it('goes back to page 1 whenever the matching tickets change', () => {
    expect(
      teamTicketsReducer(onPage3, { type: 'filterChanged', filter: 'status', value: 'ERROR' }).query,
    ).toMatchObject({ status: 'ERROR', page: 1 });
    const typed = teamTicketsReducer(onPage3, { type: 'searchChanged', search: '  laptop ' });
    expect(typed.query.page).toBe(3);
    expect(teamTicketsReducer(typed, { type: 'searchSubmitted' }).query).toMatchObject({ q: 'laptop', page: 1 });
  });

  it('drops the status filter when switching between Active and Archive', () => {
    const filtered = teamTicketsReducer(onPage3, { type: 'filterChanged', filter: 'status', value: 'ERROR' });
    const archive = teamTicketsReducer(filtered, { type: 'viewChanged', view: 'archive' });
    expect(archive.query).toMatchObject({ view: 'archive', status: undefined, page: 1 });
    expect(teamTicketsReducer(archive, { type: 'viewChanged', view: 'archive' })).toBe(archive);
  });

  it('leaves relevance order when the search is cleared', () => {
    let state = teamTicketsReducer(initialTeamTicketsState(), { type: 'searchChanged', search: 'vpn' });
    state = teamTicketsReducer(state, { type: 'searchSubmitted' });
    state = teamTicketsReducer(state, { type: 'filterChanged', filter: 'sort', value: 'relevance' });
    state = teamTicketsReducer(state, { type: 'searchChanged', search: '' });
    state = teamTicketsReducer(state, { type: 'searchSubmitted' });
    expect(state.query).toMatchObject({ q: undefined, sort: '-created_at' });
  });

  it('clears filters but keeps the view', () => {
    let state = teamTicketsReducer(initialTeamTicketsState(), { type: 'viewChanged', view: 'archive' });
    state = teamTicketsReducer(state, { type: 'filterChanged', filter: 'type', value: 'it_onboarding' });
    expect(teamTicketsReducer(state, { type: 'filtersCleared' }).query).toEqual({
      view: 'archive',
      sort: '-created_at',
      page: 1,
      page_size: 20,
    });
  });
});
