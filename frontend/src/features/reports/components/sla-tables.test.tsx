import { render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { TaskSlaTable, TicketSlaTable } from '@/features/reports/components/sla-tables';
import type { EngineSla, TicketSla } from '@/features/reports/types/reports';

// The charts measure their box; jsdom has no layout.
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}

beforeEach(() => {
  vi.stubGlobal('ResizeObserver', NoResize);
});

const cells = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

describe('SLA tables', () => {
  it('lists each task definition with its due, breached, still open and rate', () => {
    const report: EngineSla = {
      from: '2026-03-01',
      to: '2026-03-31',
      per_task_definition: [
        {
          task_key: 'review',
          name: 'Review',
          task_type: 'FORM',
          due: 4,
          breached: 1,
          open_breached: 1,
          breach_rate: 0.25,
        },
      ],
    };
    render(<TaskSlaTable report={report} filename="task-sla.csv" />);
    expect(cells(screen.getByRole('table', { name: 'Task SLA breaches by task definition' }))).toEqual([
      ['Review', 'review', '4', '1', '1', '25.0 %'],
    ]);
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeEnabled();
  });

  it('lists each ticket type, and says so when nothing was due', () => {
    const report: TicketSla = {
      from: '2026-03-01',
      to: '2026-03-31',
      per_type: [
        {
          ticket_type_key: 'leave',
          ticket_type_name: 'Leave request',
          due: 3,
          breached: 2,
          open_breached: 0,
          breach_rate: 0.6667,
        },
      ],
    };
    const { rerender } = render(<TicketSlaTable report={report} filename="ticket-sla.csv" />);
    expect(cells(screen.getByRole('table', { name: 'Ticket SLA breaches by type' }))).toEqual([
      ['Leave request', '3', '2', '0', '66.7 %'],
    ]);
    rerender(<TicketSlaTable report={{ ...report, per_type: [] }} filename="ticket-sla.csv" />);
    expect(screen.getByText('No ticket had its resolution due in this range.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Download CSV' })).toBeDisabled();
  });
});
