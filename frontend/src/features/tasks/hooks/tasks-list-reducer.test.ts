import { describe, expect, it } from 'vitest';

import { initialTasksQuery, tasksListReducer } from '@/features/tasks/hooks/tasks-list-reducer';

describe('tasksListReducer', () => {
  it('filters from the first page and drops empty filters', () => {
    const paged = tasksListReducer(initialTasksQuery(), { type: 'pageChanged', page: 2 });
    const filtered = tasksListReducer(paged, { type: 'filterChanged', filter: 'task_type', value: 'FORM' });
    expect(filtered).toMatchObject({ task_type: 'FORM', page: 1 });
    expect(
      tasksListReducer(filtered, { type: 'filterChanged', filter: 'task_type', value: '' }).task_type,
    ).toBeUndefined();
  });

  it('switches view without a status that belongs to the other one', () => {
    const errors = tasksListReducer(initialTasksQuery(), { type: 'filterChanged', filter: 'status', value: 'ERROR' });
    expect(tasksListReducer(errors, { type: 'viewChanged', view: 'archive' })).toMatchObject({
      view: 'archive',
      status: undefined,
    });
  });

  it('keeps the search words across views and pages back to the first', () => {
    const paged = tasksListReducer(initialTasksQuery(), { type: 'pageChanged', page: 3 });
    const searched = tasksListReducer(paged, { type: 'filterChanged', filter: 'q', value: 'laptop' });
    expect(searched).toMatchObject({ q: 'laptop', page: 1 });
    expect(tasksListReducer(searched, { type: 'viewChanged', view: 'archive' }).q).toBe('laptop');
  });
});
