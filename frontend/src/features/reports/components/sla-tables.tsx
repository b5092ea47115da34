import { CategoryBars } from '@/components/charts/category-bars';
import { ReportTable } from '@/features/reports/components/report-table';
import type { EngineSla, TicketSla } from '@/features/reports/types/reports';

const percent = (rate: number) => `${(rate * 100).toFixed(1)} %`;

/** Tickets whose resolution was due in the range, per type, and how many missed it. */
export function TicketSlaTable({ report, filename }: { report: TicketSla; filename: string }) {
  return (
    <>
      {report.per_type.length > 0 && (
        <CategoryBars
          label="Ticket SLA breaches by type"
          rows={report.per_type}
          category={(r) => r.ticket_type_name}
          series={[
            { name: 'Due', value: (r) => r.due },
            { name: 'Breached', value: (r) => r.breached },
          ]}
        />
      )}
      <ReportTable
        caption="Ticket SLA breaches by type"
        filename={filename}
        emptyText="No ticket had its resolution due in this range."
        rows={report.per_type}
        columns={[
          { label: 'Type', value: (r) => r.ticket_type_name },
          { label: 'Due', value: (r) => r.due, numeric: true },
          { label: 'Breached', value: (r) => r.breached, numeric: true },
          { label: 'Still open', value: (r) => r.open_breached, numeric: true },
          { label: 'Breach rate', value: (r) => r.breach_rate, render: (r) => percent(r.breach_rate), numeric: true },
        ]}
      />
    </>
  );
}

/** Tasks due in the range, per task definition, and how many missed their due time. */
export function TaskSlaTable({ report, filename }: { report: EngineSla; filename: string }) {
  return (
    <>
      {report.per_task_definition.length > 0 && (
        <CategoryBars
          label="Task SLA breaches by task definition"
          rows={report.per_task_definition}
          category={(r) => r.name}
          series={[
            { name: 'Due', value: (r) => r.due },
            { name: 'Breached', value: (r) => r.breached },
          ]}
        />
      )}
      <ReportTable
        caption="Task SLA breaches by task definition"
        filename={filename}
        emptyText="No task was due in this range."
        rows={report.per_task_definition}
        columns={[
          { label: 'Task', value: (r) => r.name },
          { label: 'Key', value: (r) => r.task_key },
          { label: 'Due', value: (r) => r.due, numeric: true },
          { label: 'Breached', value: (r) => r.breached, numeric: true },
          { label: 'Still open', value: (r) => r.open_breached, numeric: true },
          { label: 'Breach rate', value: (r) => r.breach_rate, render: (r) => percent(r.breach_rate), numeric: true },
        ]}
      />
    </>
  );
}
