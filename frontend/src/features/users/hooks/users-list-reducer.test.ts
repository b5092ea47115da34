import { describe, expect, it } from 'vitest';

import {
  initialUsersListState,
  usersListReducer,
  type UsersListState,
} from '@/features/users/hooks/users-list-reducer';
import { makeUser } from '@/testing/data';

describe('usersListReducer', () => {
  const page = (n: number) => ({ items: [makeUser()], total: 45, page: n, page_size: 20 });
  const ready: UsersListState = { ...initialUsersListState(20), status: 'ready', result: page(1) };

  it('starts loading the first page without a search', () => {
    expect(initialUsersListState(20)).toMatchObject({ query: '', page: 1, pageSize: 20, status: 'loading' });
  });

  it('applies a typed search only when submitted, trimmed, from page 1', () => {
    const onPage3 = { ...ready, page: 3 };
    const typed = usersListReducer(onPage3, { type: 'searchChanged', search: '  ada ' });
    expect(typed).toMatchObject({ search: '  ada ', query: '', page: 3, status: 'ready' });

    const submitted = usersListReducer(typed, { type: 'searchSubmitted' });
    expect(submitted).toMatchObject({ query: 'ada', page: 1, status: 'loading' });
  });

  it('reloads when the same search is submitted again', () => {
    const again = usersListReducer(ready, { type: 'searchSubmitted' });
    expect(again.reloads).toBe(ready.reloads + 1);
    expect(again.status).toBe('loading');
  });

  it('changes page, ignoring the current page and pages below 1', () => {
    expect(usersListReducer(ready, { type: 'pageChanged', page: 2 })).toMatchObject({ page: 2, status: 'loading' });
    expect(usersListReducer(ready, { type: 'pageChanged', page: 1 })).toBe(ready);
    expect(usersListReducer(ready, { type: 'pageChanged', page: 0 })).toBe(ready);
  });

  it('keeps the previous results while the next page loads', () => {
    const loading = usersListReducer(ready, { type: 'pageChanged', page: 2 });
    expect(loading.result).toBe(ready.result);
    const second = page(2);
    const loaded = usersListReducer(loading, { type: 'loaded', result: second });
    expect(loaded).toMatchObject({ status: 'ready', result: second });
  });

  it('records a failure and retries the same request', () => {
    const failed = usersListReducer(ready, { type: 'failed', error: 'Service unavailable' });
    expect(failed).toMatchObject({ status: 'error', error: 'Service unavailable' });
    const retried = usersListReducer(failed, { type: 'retried' });
    expect(retried).toMatchObject({ status: 'loading', error: null, reloads: failed.reloads + 1 });
  });
});
