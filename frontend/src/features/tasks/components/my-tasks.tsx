import { useReducer } from 'react';

import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { listMyTasks } from '@/features/tasks/api/tasks';
import { AvailabilityToggle } from '@/features/tasks/components/availability-toggle';
import { TasksTable } from '@/features/tasks/components/tasks-table';
import { initialTasksQuery, tasksListReducer } from '@/features/tasks/hooks/tasks-list-reducer';
import { useResource } from '@/hooks/use-resource';

const VIEWS = [
  { key: 'active', label: 'To do' },
  { key: 'archive', label: 'Done' },
] as const;

/** The form tasks assigned to the signed-in task worker. */
export function MyTasks() {
  const [query, dispatch] = useReducer(tasksListReducer, undefined, initialTasksQuery);
  const { view, page, page_size } = query;
  const tasks = useResource((signal) => listMyTasks({ view, page, page_size }, signal), [view, page, page_size]);

  let body;
  if (tasks.status === 'error') body = <ErrorState message={tasks.error ?? ''} onRetry={tasks.reload} />;
  else if (!tasks.data) body = <LoadingState label="Loading your tasks…" />;
  else if (tasks.data.items.length === 0)
    body = (
      <EmptyState title={view === 'active' ? 'Nothing to do right now' : 'No finished tasks yet'}>
        {view === 'active' ? 'New tasks appear here when they are assigned to you.' : undefined}
      </EmptyState>
    );
  else
    body = (
      <>
        <TasksTable tasks={tasks.data.items} caption="Your tasks" busy={tasks.status === 'loading'} />
        <Pagination
          page={page}
          pageSize={tasks.data.page_size}
          total={tasks.data.total}
          itemLabel={tasks.data.total === 1 ? 'task' : 'tasks'}
          disabled={tasks.status === 'loading'}
          onPageChange={(next) => dispatch({ type: 'pageChanged', page: next })}
        />
      </>
    );

  return (
    <div className="flex flex-col gap-6">
      <AvailabilityToggle />
      <div>
        <Tabs
          label="Task views"
          tabs={VIEWS}
          selected={view}
          onSelect={(v) => dispatch({ type: 'viewChanged', view: v })}
        />
        {body}
      </div>
    </div>
  );
}
