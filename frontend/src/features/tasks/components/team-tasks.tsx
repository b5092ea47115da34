import { useQuery } from '@tanstack/react-query';
import { useMemo, useReducer } from 'react';

import { Pagination } from '@/components/ui/pagination';
import { SelectField } from '@/components/ui/select-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { listTasks, listWorkers } from '@/features/tasks/api/tasks';
import { TaskSearch } from '@/features/tasks/components/task-search';
import { TasksTable } from '@/features/tasks/components/tasks-table';
import { initialTasksQuery, tasksListReducer } from '@/features/tasks/hooks/tasks-list-reducer';
import { ACTIVE_TASK_STATUSES, TASK_SORTS, TASK_STATUSES, TASK_TYPES } from '@/features/tasks/types/tasks';
import { humanize } from '@/lib/format';
import { errorMessage } from '@/lib/api-error';

const VIEWS = [
  { key: 'active', label: 'Active' },
  { key: 'archive', label: 'Archive' },
] as const;

/** Every task of the company for the ticket team, open or finished. */
export function TeamTasks() {
  const [query, dispatch] = useReducer(tasksListReducer, undefined, initialTasksQuery);
  const tasks = useQuery({
    queryKey: ['engine', 'tasks', 'list', query],
    queryFn: ({ signal }) => listTasks(query, signal),
  });
  const workers = useQuery({ queryKey: ['engine', 'workers'], queryFn: ({ signal }) => listWorkers(signal) });
  const assignees = useMemo(
    () => new Map((workers.data ?? []).map((w) => [w.user_id, w.display_name || w.email])),
    [workers.data],
  );
  const statuses = TASK_STATUSES.filter((s) => ACTIVE_TASK_STATUSES.includes(s) === (query.view === 'active'));
  const filter = (name: 'status' | 'task_type' | 'assignee_id' | 'sort' | 'q') => (value: string) =>
    dispatch({ type: 'filterChanged', filter: name, value });

  let body;
  if (tasks.isError) body = <ErrorState message={errorMessage(tasks.error)} onRetry={() => void tasks.refetch()} />;
  else if (!tasks.data) body = <LoadingState label="Loading tasks…" />;
  else if (tasks.data.items.length === 0)
    body = <EmptyState title="No tasks match">Try other words or fewer filters.</EmptyState>;
  else
    body = (
      <>
        <TasksTable
          tasks={tasks.data.items}
          caption={query.view === 'active' ? 'Active tasks' : 'Finished tasks'}
          busy={tasks.isFetching}
          assignees={assignees}
        />
        <Pagination
          page={query.page}
          pageSize={tasks.data.page_size}
          total={tasks.data.total}
          itemLabel={tasks.data.total === 1 ? 'task' : 'tasks'}
          disabled={tasks.isFetching}
          onPageChange={(page) => dispatch({ type: 'pageChanged', page })}
        />
      </>
    );

  return (
    <div className="flex flex-col gap-4">
      <Tabs
        label="Task views"
        tabs={VIEWS}
        selected={query.view}
        onSelect={(view) => dispatch({ type: 'viewChanged', view })}
      />
      <TaskSearch value={query.q ?? ''} onSearch={filter('q')} />
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <SelectField
          label="Status"
          name="status"
          value={query.status ?? ''}
          onChange={filter('status')}
          options={[{ value: '', label: 'Any status' }, ...statuses.map((s) => ({ value: s, label: humanize(s) }))]}
        />
        <SelectField
          label="Task type"
          name="task_type"
          value={query.task_type ?? ''}
          onChange={filter('task_type')}
          options={[{ value: '', label: 'Any type' }, ...TASK_TYPES.map((t) => ({ value: t, label: humanize(t) }))]}
        />
        <SelectField
          label="Assignee"
          name="assignee_id"
          value={query.assignee_id ?? ''}
          onChange={filter('assignee_id')}
          options={[
            { value: '', label: 'Anyone' },
            ...(workers.data ?? []).map((w) => ({ value: w.user_id, label: w.display_name || w.email })),
          ]}
        />
        <SelectField label="Sort" name="sort" value={query.sort ?? ''} onChange={filter('sort')} options={TASK_SORTS} />
      </div>
      {body}
    </div>
  );
}
