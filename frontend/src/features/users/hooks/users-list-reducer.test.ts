import { describe, expect, it } from 'vitest';

import {
  initialUsersListState,
  isSameSearch,
  usersListReducer,
  type UsersListState,
} from '@/features/users/hooks/users-list-reducer';

describe('usersListReducer', () => {
  const start: UsersListState = initialUsersListState(20);

  it('starts on the first page without a search', () => {
    expect(start).toEqual({ search: '', query: '', page: 1, pageSize: 20 });
  });

  it('applies a typed search only when submitted, trimmed, from page 1', () => {
    const onPage3 = { ...start, page: 3 };
    const typed = usersListReducer(onPage3, { type: 'searchChanged', search: '  ada ' });
    expect(typed).toMatchObject({ search: '  ada ', query: '', page: 3 });

    const submitted = usersListReducer(typed, { type: 'searchSubmitted' });
    expect(submitted).toMatchObject({ query: 'ada', page: 1 });
  });

  it('changes page, ignoring the current page and pages below 1', () => {
    expect(usersListReducer(start, { type: 'pageChanged', page: 2 })).toMatchObject({ page: 2 });
    expect(usersListReducer(start, { type: 'pageChanged', page: 1 })).toBe(start);
    expect(usersListReducer(start, { type: 'pageChanged', page: 0 })).toBe(start);
  });

  it('tells a resubmitted search from a new one', () => {
    const shown = usersListReducer(usersListReducer(start, { type: 'searchChanged', search: 'ada' }), {
      type: 'searchSubmitted',
    });
    expect(isSameSearch({ ...shown, search: ' ada ' })).toBe(true);
    expect(isSameSearch({ ...shown, search: 'bob' })).toBe(false);
    expect(isSameSearch({ ...shown, page: 2 })).toBe(false);
  });
});
