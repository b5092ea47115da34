import type { UseQueryResult } from '@tanstack/react-query';
import { Link } from 'react-router';

import { CategoryBars } from '@/components/charts/category-bars';
import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { instanceHref, paths } from '@/config/paths';
import { StatTile } from '@/features/dashboard/components/stat-tile';
import type { EngineOverview, TicketOverview } from '@/features/dashboard/types/dashboard';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';

const OPEN = ['SUBMITTED', 'IN_PROGRESS', 'ON_HOLD', 'ERROR'];

type TeamPanelProps = { tickets: UseQueryResult<TicketOverview>; engine: UseQueryResult<EngineOverview> };

export function TeamPanel({ tickets, engine }: TeamPanelProps) {
  for (const figures of [tickets, engine]) {
    if (figures.isError)
      return <ErrorState message={errorMessage(figures.error)} onRetry={() => void figures.refetch()} />;
  }
  if (!tickets.data || !engine.data) return <LoadingState label="Loading the team's figures…" />;
  const t = tickets.data;
  const e = engine.data;
  const open = OPEN.reduce((sum, status) => sum + (t.by_status[status] ?? 0), 0);
  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5" aria-label="Team figures">
        <StatTile label="Open tickets" value={open} to={paths.tickets} />
        <StatTile label="Created this week" value={t.created_this_week} />
        <StatTile label="Closed this week" value={t.closed_this_week} />
        <StatTile label="Incidents" value={e.incidents} tone={e.incidents > 0 ? 'alert' : 'plain'} />
        <StatTile label="Waiting for a worker" value={e.unassigned} to={paths.tasks} />
      </div>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Tickets by status">
          {t.total === 0 ? (
            <p className="text-sm text-slate-600">No tickets yet.</p>
          ) : (
            <ul className="flex flex-col gap-2" aria-label="Tickets by status">
              {Object.entries(t.by_status)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([status, count]) => (
                  <li key={status} className="flex items-center justify-between">
                    <StatusBadge status={status} />
                    <span className="tabular-nums text-slate-900">{count}</span>
                  </li>
                ))}
            </ul>
          )}
        </Card>
        <Card title="Queue by worker" description="Open form tasks each task worker holds.">
          {e.queue_by_worker.length === 0 ? (
            <p className="text-sm text-slate-600">No task workers yet.</p>
          ) : (
            <CategoryBars
              label="Open tasks per worker"
              rows={e.queue_by_worker}
              category={(w) => w.display_name}
              series={[{ name: 'Open tasks', value: (w) => w.open_tasks }]}
              height={200}
            />
          )}
        </Card>
      </div>
      {e.incidents > 0 && (
        <Card title="Incidents" description="Workflows stopped until someone retries, skips or cancels.">
          <ul className="divide-y divide-slate-100" aria-label="Incidents">
            {e.recent_incidents.map((incident) => (
              <li key={incident.workflow_instance_id} className="py-2.5">
                <Link
                  to={instanceHref(incident.workflow_instance_id)}
                  className="font-medium text-indigo-700 hover:underline"
                >
                  {incident.ticket_number}
                </Link>{' '}
                {incident.ticket_title}
                <p className="text-sm text-slate-600">
                  {humanize(incident.reason || 'incident')} · since {formatDateTime(incident.since)}
                </p>
              </li>
            ))}
          </ul>
        </Card>
      )}
    </div>
  );
}
