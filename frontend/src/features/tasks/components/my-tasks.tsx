import { useQuery } from '@tanstack/react-query';
import { useReducer } from 'react';

import { Pagination } from '@/components/ui/pagination';
import { SelectField } from '@/components/ui/select-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { listMyTasks } from '@/features/tasks/api/tasks';
import { AvailabilityToggle } from '@/features/tasks/components/availability-toggle';
import { TaskSearch } from '@/features/tasks/components/task-search';
import { TasksTable } from '@/features/tasks/components/tasks-table';
import { initialTasksQuery, tasksListReducer } from '@/features/tasks/hooks/tasks-list-reducer';
import { TASK_SORTS } from '@/features/tasks/types/tasks';
import { errorMessage } from '@/lib/api-error';

const VIEWS = [
  { key: 'active', label: 'To do' },
  { key: 'archive', label: 'Done' },
] as const;

/** The form tasks assigned to the signed-in task worker. */
export function MyTasks() {
  const [query, dispatch] = useReducer(tasksListReducer, undefined, initialTasksQuery);
  const { view, page, page_size, sort, q } = query;
  const tasks = useQuery({
    queryKey: ['engine', 'tasks', 'mine', view, page, page_size, sort, q],
    queryFn: ({ signal }) => listMyTasks({ view, page, page_size, sort, q }, signal),
  });

  let body;
  if (tasks.isError) body = <ErrorState message={errorMessage(tasks.error)} onRetry={() => void tasks.refetch()} />;
  else if (!tasks.data) body = <LoadingState label="Loading your tasks…" />;
  else if (tasks.data.items.length === 0 && q) body = <EmptyState title="No tasks match">Try other words.</EmptyState>;
  else if (tasks.data.items.length === 0)
    body = (
      <EmptyState title={view === 'active' ? 'Nothing to do right now' : 'No finished tasks yet'}>
        {view === 'active' ? 'New tasks appear here when they are assigned to you.' : undefined}
      </EmptyState>
    );
  else
    body = (
      <>
        <TasksTable tasks={tasks.data.items} caption="Your tasks" busy={tasks.isFetching} />
        <Pagination
          page={page}
          pageSize={tasks.data.page_size}
          total={tasks.data.total}
          itemLabel={tasks.data.total === 1 ? 'task' : 'tasks'}
          disabled={tasks.isFetching}
          onPageChange={(next) => dispatch({ type: 'pageChanged', page: next })}
        />
      </>
    );

  return (
    <div className="flex flex-col gap-6">
      <AvailabilityToggle />
      <TaskSearch value={q ?? ''} onSearch={(value) => dispatch({ type: 'filterChanged', filter: 'q', value })} />
      <div>
        <div className="flex flex-wrap items-end justify-between gap-3">
          <Tabs
            label="Task views"
            tabs={VIEWS}
            selected={view}
            onSelect={(v) => dispatch({ type: 'viewChanged', view: v })}
          />
          <div className="w-48">
            <SelectField
              label="Sort"
              name="sort"
              value={sort ?? ''}
              onChange={(value) => dispatch({ type: 'filterChanged', filter: 'sort', value })}
              options={TASK_SORTS}
            />
          </div>
        </div>
        {body}
      </div>
    </div>
  );
}
