import { Link } from 'react-router';

import { CategoryBars } from '@/components/charts/category-bars';
import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { DueDate } from '@/components/ui/due-date';
import { StatusBadge } from '@/components/ui/status-badge';
import { paths, taskHref } from '@/config/paths';
import { StatTile } from '@/features/dashboard/components/stat-tile';
import { useMyOverdueCount, useMyPerformance, useMyTasksByDueDate } from '@/features/dashboard/hooks/use-dashboard';
import { errorMessage } from '@/lib/api-error';
import { formatDuration } from '@/lib/format';

/** The caller's open tasks by due date (soonest first, undated last), overdue ones marked. */
export function MyOpenTasks() {
  const tasks = useMyTasksByDueDate();
  const overdue = useMyOverdueCount();
  let body;
  if (tasks.isError) body = <ErrorState message={errorMessage(tasks.error)} onRetry={() => void tasks.refetch()} />;
  else if (!tasks.data) body = <LoadingState label="Loading your tasks…" />;
  else if (tasks.data.total === 0) body = <p className="text-sm text-slate-600">Nothing waiting for you.</p>;
  else
    body = (
      <>
        {overdue.data !== undefined && overdue.data > 0 && (
          <p className="mb-2 text-sm font-medium text-red-700" data-testid="overdue-count">
            {overdue.data === 1 ? '1 task is overdue.' : `${overdue.data} tasks are overdue.`}
          </p>
        )}
        <ul className="divide-y divide-slate-100" aria-label="My open tasks">
          {tasks.data.items.map((task) => (
            <li key={task.id} className="flex items-center gap-3 py-2.5">
              <div className="min-w-0 flex-1">
                <Link to={taskHref(task.id)} className="font-medium text-indigo-700 hover:underline">
                  {task.name}
                </Link>
                <p className="truncate text-sm text-slate-600">
                  {task.ticket_number} · {task.ticket_title}
                </p>
              </div>
              <span className="text-sm whitespace-nowrap text-slate-600">
                {task.due_at ? (
                  <>
                    <span className="mr-1">Due</span>
                    <DueDate due={task.due_at} overdue={task.overdue} />
                  </>
                ) : (
                  'No due date'
                )}
              </span>
              <StatusBadge status={task.status} />
            </li>
          ))}
        </ul>
        <p className="mt-2 text-sm">
          <Link to={paths.myTasks} className="font-medium text-indigo-700 hover:underline">
            {tasks.data.total > tasks.data.items.length ? `All ${tasks.data.total} open tasks` : 'Go to My tasks'}
          </Link>
        </p>
      </>
    );
  return (
    <Card title="My open tasks" description="Soonest due first; tasks without a due date come last.">
      {body}
    </Card>
  );
}

const WEEK = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

export function WorkerPanel() {
  const figures = useMyPerformance();
  if (figures.isError)
    return <ErrorState message={errorMessage(figures.error)} onRetry={() => void figures.refetch()} />;
  if (!figures.data) return <LoadingState label="Loading your tasks…" />;
  const data = figures.data;
  const thisWeek = data.weeks[data.weeks.length - 1];
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <MyOpenTasks />
      <Card
        title="My performance"
        description="Form tasks you completed per week, beside the team's average per worker."
      >
        <div className="mb-4 grid grid-cols-3 gap-3">
          <StatTile label="Done this week" value={thisWeek?.mine ?? 0} />
          <StatTile
            label="My median time"
            value={data.my_median_seconds === null ? '—' : formatDuration(data.my_median_seconds)}
          />
          <StatTile
            label="Team median"
            value={data.team_median_seconds === null ? '—' : formatDuration(data.team_median_seconds)}
          />
        </div>
        <CategoryBars
          label="Tasks completed per week"
          rows={data.weeks}
          category={(w) => WEEK.format(new Date(`${w.week_start}T00:00:00Z`))}
          series={[
            { name: 'Me', value: (w) => w.mine },
            { name: 'Team, per worker', value: (w) => w.team_per_worker },
          ]}
          height={200}
        />
      </Card>
    </div>
  );
}
