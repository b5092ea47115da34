import { Link } from 'react-router';

import { CategoryBars } from '@/components/charts/category-bars';
import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { paths, taskHref } from '@/config/paths';
import { StatTile } from '@/features/dashboard/components/stat-tile';
import { useMyPerformance } from '@/features/dashboard/hooks/use-dashboard';
import { errorMessage } from '@/lib/api-error';
import { formatDuration } from '@/lib/format';

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
      <Card
        title="My open tasks"
        // Tasks carry no due date yet; the oldest come first until they do.
        description="Oldest first: tasks have no due dates yet."
      >
        {data.open_total === 0 ? (
          <p className="text-sm text-slate-600">Nothing waiting for you.</p>
        ) : (
          <>
            <ul className="divide-y divide-slate-100" aria-label="My open tasks">
              {data.oldest_open.map((task) => (
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
                    {formatDuration(task.age_seconds)} old
                  </span>
                  <StatusBadge status={task.status} />
                </li>
              ))}
            </ul>
            <p className="mt-2 text-sm">
              <Link to={paths.myTasks} className="font-medium text-indigo-700 hover:underline">
                {data.open_total > data.oldest_open.length ? `All ${data.open_total} open tasks` : 'Go to My tasks'}
              </Link>
            </p>
          </>
        )}
      </Card>
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
