import type { UseQueryResult } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { PerDayChart } from '@/features/reports/components/charts';
import { DateRangeForm, daysBack } from '@/features/reports/components/date-range-form';
import { ReportBreakdown, ReportSection } from '@/features/reports/components/report-section';
import { TaskSlaTable, TicketSlaTable } from '@/features/reports/components/sla-tables';
import { pivotPerDay } from '@/features/reports/hooks/csv';
import {
  useActionReport,
  useEngineReport,
  useEngineSla,
  useTicketReport,
  useTicketSla,
} from '@/features/reports/hooks/use-reports';
import type {
  ActionReport,
  DateRangeQuery,
  EngineReport,
  EngineSla,
  TicketReport,
  TicketSla,
} from '@/features/reports/types/reports';
import { ApiError, errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

const DEFAULT_DAYS = 30;

type Sections<T> = { resource: UseQueryResult<T>; range: DateRangeQuery };

function TicketSections({ resource, range }: Sections<TicketReport>) {
  return (
    <>
      <ReportBreakdown
        wide
        title="Tickets per day"
        description="Created per day by type (bars) and closed per day (line)."
        resource={resource}
        range={range}
        rows={(report) => report.per_day}
        chart={(report) => {
          const { days, types } = pivotPerDay(report.per_day, report.from, report.to);
          return <PerDayChart days={days} types={types} />;
        }}
        caption="Tickets created and closed per day and type"
        csvName="tickets-per-day"
        emptyText="No ticket was created or closed in this range."
        columns={[
          { label: 'Day', value: (r) => r.day },
          { label: 'Type', value: (r) => r.ticket_type_key },
          { label: 'Created', value: (r) => r.created, numeric: true },
          { label: 'Closed', value: (r) => r.closed, numeric: true },
        ]}
      />
      <ReportBreakdown
        title="Time to resolution"
        description="Submission to completion of the tickets completed in the range: median and 90th percentile."
        resource={resource}
        range={range}
        rows={(report) => report.resolution}
        chart={{
          label: 'Time to resolution by type',
          category: (r) => r.ticket_type_name,
          series: [
            { name: 'Median', value: (r) => r.p50_seconds },
            { name: '90th percentile', value: (r) => r.p90_seconds },
          ],
          seconds: true,
        }}
        caption="Time to resolution by type"
        csvName="resolution"
        emptyText="No ticket was completed in this range."
        columns={[
          { label: 'Type', value: (r) => r.ticket_type_name },
          { label: 'Resolved', value: (r) => r.resolved, numeric: true },
          { label: 'Median (s)', value: (r) => r.p50_seconds, duration: true },
          { label: 'P90 (s)', value: (r) => r.p90_seconds, duration: true },
        ]}
      />
    </>
  );
}

function EngineSections({ resource, range }: Sections<EngineReport>) {
  return (
    <>
      <ReportBreakdown
        title="Worker throughput"
        description="Form tasks each worker completed in the range, and the median time from assignment to completion."
        resource={resource}
        range={range}
        rows={(report) => report.worker_throughput}
        chart={{
          label: 'Tasks completed per worker',
          category: (r) => r.display_name || 'Former worker',
          series: [{ name: 'Completed', value: (r) => r.completed }],
        }}
        caption="Worker throughput"
        csvName="worker-throughput"
        emptyText="No form task was completed in this range."
        columns={[
          { label: 'Worker', value: (r) => r.display_name || 'Former worker' },
          { label: 'Completed', value: (r) => r.completed, numeric: true },
          { label: 'Median (s)', value: (r) => r.median_seconds, duration: true },
        ]}
      />
      <ReportBreakdown
        wide
        title="Time per task"
        description="Creation to completion of the tasks completed in the range, per task definition."
        resource={resource}
        range={range}
        rows={(report) => report.time_per_task_definition}
        chart={{
          label: 'Time per task definition',
          category: (r) => r.name,
          series: [
            { name: 'Median', value: (r) => r.p50_seconds },
            { name: '90th percentile', value: (r) => r.p90_seconds },
          ],
          seconds: true,
        }}
        caption="Time per task definition"
        csvName="time-per-task"
        emptyText="No task was completed in this range."
        columns={[
          { label: 'Task', value: (r) => r.name },
          { label: 'Key', value: (r) => r.task_key },
          { label: 'Type', value: (r) => r.task_type },
          { label: 'Completed', value: (r) => r.completed, numeric: true },
          { label: 'Total (s)', value: (r) => r.total_seconds, duration: true },
          { label: 'Mean (s)', value: (r) => r.mean_seconds, duration: true },
          { label: 'Median (s)', value: (r) => r.p50_seconds, duration: true },
          { label: 'P90 (s)', value: (r) => r.p90_seconds, duration: true },
        ]}
      />
    </>
  );
}

function ActionSection({ resource, range }: Sections<ActionReport>) {
  return (
    <ReportBreakdown
      wide
      title="Action failures by host"
      description="Action requests that ended in the range, per target host, and those that failed once their retries were spent."
      resource={resource}
      range={range}
      rows={(report) => report.hosts}
      chart={{
        label: 'Action failures by host',
        category: (r) => r.host,
        series: [
          { name: 'Ended', value: (r) => r.finished },
          { name: 'Failed', value: (r) => r.failed },
        ],
      }}
      caption="Action failures by host"
      csvName="action-failures"
      emptyText="No action request ended in this range."
      columns={[
        { label: 'Host', value: (r) => r.host },
        { label: 'Ended', value: (r) => r.finished, numeric: true },
        { label: 'Failed', value: (r) => r.failed, numeric: true },
        {
          label: 'Failure rate',
          value: (r) => r.failure_rate,
          render: (r) => `${(r.failure_rate * 100).toFixed(1)} %`,
          numeric: true,
        },
        { label: 'HTTP calls', value: (r) => r.http_calls, numeric: true },
        { label: 'Last failure', value: (r) => r.last_failure_at, render: (r) => formatDateTime(r.last_failure_at) },
        { label: 'Last error', value: (r) => r.last_error, render: (r) => r.last_error ?? '—' },
      ]}
    />
  );
}

function SlaSections({
  tickets,
  tasks,
  range,
}: {
  tickets: UseQueryResult<TicketSla>;
  tasks: UseQueryResult<EngineSla>;
  range: DateRangeQuery;
}) {
  const suffix = `${range.from}_${range.to}`;
  return (
    <>
      <ReportSection
        title="Ticket SLA breaches"
        description="Tickets whose resolution was due in the range: resolved after it, or still open past it. Cancelled tickets are left out."
        resource={tickets}
      >
        {(report) => <TicketSlaTable report={report} filename={`ticket-sla_${suffix}.csv`} />}
      </ReportSection>
      <ReportSection
        title="Task SLA breaches"
        description="Tasks due in the range: completed after their due time, or still open past it. Skipped and cancelled tasks are left out."
        resource={tasks}
      >
        {(report) => <TaskSlaTable report={report} filename={`task-sla_${suffix}.csv`} />}
      </ReportSection>
    </>
  );
}

/** The company's reports over a date range, each from its service's aggregates. */
export function ReportsPage({ isAdmin }: { isAdmin: boolean }) {
  const [params, setParams] = useSearchParams();
  const fallback = daysBack(DEFAULT_DAYS);
  const range: DateRangeQuery = { from: params.get('from') ?? fallback.from, to: params.get('to') ?? fallback.to };
  const tickets = useTicketReport(range);
  const engine = useEngineReport(range);
  const actions = useActionReport(range, isAdmin);
  const ticketSla = useTicketSla(range);
  const taskSla = useEngineSla(range);
  const rangeProblem = [tickets.error, engine.error, actions.error, ticketSla.error, taskSla.error].find(
    (error) => error instanceof ApiError && error.status === 422,
  );

  return (
    <div className="flex flex-col gap-6">
      <DateRangeForm
        key={`${range.from}_${range.to}`}
        value={range}
        onChange={(next) => setParams({ from: next.from, to: next.to })}
      />
      <p className="text-xs text-slate-500">Days are UTC calendar days; both ends are included.</p>
      {rangeProblem ? (
        // Every report refuses a bad range the same way: say it once, at the form.
        <Alert tone="error" title="This date range cannot be reported">
          {errorMessage(rangeProblem)}
        </Alert>
      ) : (
        <div className="grid gap-6 xl:grid-cols-2">
          <TicketSections resource={tickets} range={range} />
          <EngineSections resource={engine} range={range} />
          <SlaSections tickets={ticketSla} tasks={taskSla} range={range} />
          {isAdmin && <ActionSection resource={actions} range={range} />}
          {!isAdmin && (
            <div className="xl:col-span-2">
              <Alert tone="info" title="Not in these reports">
                Action failures by host are shown to admins only.
              </Alert>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
