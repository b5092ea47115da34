import type { TasksQuery } from '@/features/tasks/types/tasks';

export const TASKS_PAGE_SIZE = 20;

type Filter = 'status' | 'task_type' | 'task_key' | 'assignee_id' | 'sort' | 'q';

export type TasksListAction =
  | { type: 'viewChanged'; view: TasksQuery['view'] }
  | { type: 'filterChanged'; filter: Filter; value: string }
  | { type: 'pageChanged'; page: number };

export function initialTasksQuery(): TasksQuery {
  return { view: 'active', page: 1, page_size: TASKS_PAGE_SIZE };
}

export function tasksListReducer(state: TasksQuery, action: TasksListAction): TasksQuery {
  switch (action.type) {
    case 'viewChanged':
      if (action.view === state.view) return state;
      return { ...state, view: action.view, status: undefined, page: 1 };
    case 'filterChanged':
      return { ...state, [action.filter]: action.value || undefined, page: 1 };
    case 'pageChanged':
      if (action.page < 1 || action.page === state.page) return state;
      return { ...state, page: action.page };
  }
}
