import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';

import { BarChart } from '@/components/charts/bar-chart';
import { Card } from '@/components/ui/card';
import { SelectField } from '@/components/ui/select-field';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getActionMetrics, getEngineMetrics, recentTickets } from '@/features/metrics/api/metrics';
import { countPerDay } from '@/features/metrics/hooks/per-day';
import { formatDuration, humanize } from '@/lib/format';
import { errorMessage } from '@/lib/api-error';

const TICKET_SAMPLE = 100;

function isoDaysAgo(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() - (days - 1));
  return date.toISOString().slice(0, 10);
}

/** Key figures: open tasks per worker, tickets and completed tasks per day, workflows by status. */
export function MetricsDashboard() {
  const [days, setDays] = useState(14);
  const engine = useQuery({
    queryKey: ['engine', 'metrics', days],
    queryFn: ({ signal }) => getEngineMetrics(days, signal),
  });
  const tickets = useQuery({
    queryKey: ['tickets', 'tickets', 'recent', days],
    queryFn: ({ signal }) => recentTickets(isoDaysAgo(days), TICKET_SAMPLE, signal),
  });
  const actions = useQuery({ queryKey: ['actions', 'metrics'], queryFn: ({ signal }) => getActionMetrics(signal) });

  return (
    <div className="flex flex-col gap-6">
      <div className="max-w-xs">
        <SelectField
          label="Period"
          name="days"
          value={String(days)}
          onChange={(value) => setDays(Number(value))}
          options={[
            { value: '7', label: 'Last 7 days' },
            { value: '14', label: 'Last 14 days' },
            { value: '30', label: 'Last 30 days' },
          ]}
        />
      </div>
      {engine.isError && <ErrorState message={errorMessage(engine.error)} onRetry={() => void engine.refetch()} />}
      {!engine.data && engine.isFetching && <LoadingState label="Loading metrics…" />}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Tickets per day">
          {tickets.isError ? (
            <ErrorState message={errorMessage(tickets.error)} onRetry={() => void tickets.refetch()} />
          ) : tickets.data ? (
            <>
              <BarChart
                title={`Tickets created, last ${days} days`}
                bars={countPerDay(
                  tickets.data.items.map((t) => t.created_at),
                  days,
                ).map((d) => ({ label: d.day.slice(5), value: d.count }))}
              />
              {tickets.data.total > TICKET_SAMPLE && (
                <p className="mt-2 text-xs text-slate-600">
                  Counted from the newest {TICKET_SAMPLE} of {tickets.data.total} tickets.
                </p>
              )}
            </>
          ) : (
            <LoadingState />
          )}
        </Card>
        {engine.data && (
          <>
            <Card title="Open tasks per worker">
              <BarChart
                title="Open tasks per worker"
                bars={engine.data.open_tasks_per_worker.map((w) => ({ label: w.display_name, value: w.open_tasks }))}
                emptyText="No task workers yet."
              />
            </Card>
            <Card title="Workflows by status">
              <BarChart
                title="Workflows by status"
                bars={Object.entries(engine.data.workflows_by_status).map(([status, count]) => ({
                  label: humanize(status),
                  value: count,
                }))}
                emptyText="No workflows yet."
              />
            </Card>
            <Card title="Tasks completed per day">
              <BarChart
                title={`Tasks completed, last ${days} days`}
                bars={engine.data.tasks_completed_per_day.map((d) => ({ label: d.day.slice(5), value: d.completed }))}
              />
            </Card>
            <Card title="Mean time per task">
              <BarChart
                title="Mean time from creation to completion"
                bars={engine.data.mean_time_per_task.map((t) => ({ label: t.name, value: t.mean_seconds }))}
                format={formatDuration}
                emptyText="No completed tasks yet."
              />
            </Card>
          </>
        )}
        <Card title="Actions per target">
          {actions.isError ? (
            <ErrorState message={errorMessage(actions.error)} onRetry={() => void actions.refetch()} />
          ) : actions.data ? (
            <>
              <BarChart
                title="Action requests per host"
                bars={actions.data.hosts.map((h) => ({ label: h.host, value: h.requests }))}
                emptyText="No action calls yet."
              />
              <p className="mt-2 text-xs text-slate-600">
                Runner lag: {actions.data.lag.total ?? 'unknown'} · failed:{' '}
                {actions.data.hosts.reduce((sum, h) => sum + h.failed, 0)}
              </p>
            </>
          ) : (
            <LoadingState />
          )}
        </Card>
      </div>
    </div>
  );
}
