import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';

import { ReportsPage } from '@/features/reports/components/reports-page';
import type { ActionReport, EngineReport, EngineSla, TicketReport, TicketSla } from '@/features/reports/types/reports';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse, type FakeServer } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

// The charts measure their box; jsdom has no layout.
class NoResize {
  observe() {}
  unobserve() {}
  disconnect() {}
}

beforeEach(() => {
  vi.stubGlobal('ResizeObserver', NoResize);
});

const RANGE = { from: '2026-03-01', to: '2026-03-31' };
const ROUTE = `/?from=${RANGE.from}&to=${RANGE.to}`;
const admin = makeUser({ system_roles: ['user', 'admin'] });
const teamMember = makeUser({ system_roles: ['user', 'ticket_admin'] });

const tickets: TicketReport = {
  ...RANGE,
  per_day: [{ day: '2026-03-02', ticket_type_key: 'leave', created: 3, closed: 1 }],
  resolution: [
    { ticket_type_key: 'leave', ticket_type_name: 'Leave', resolved: 2, p50_seconds: 90, p90_seconds: 7200 },
  ],
};
const engine: EngineReport = {
  ...RANGE,
  worker_throughput: [{ user_id: 'u1', display_name: '', completed: 4, median_seconds: 30 }],
  time_per_task_definition: [],
};
const actions: ActionReport = {
  ...RANGE,
  hosts: [
    {
      host: 'erp.example.com',
      finished: 8,
      failed: 2,
      failure_rate: 0.25,
      http_calls: 12,
      last_failure_at: null,
      last_error: null,
    },
  ],
};
const ticketSla: TicketSla = { ...RANGE, per_type: [] };
const taskSla: EngineSla = { ...RANGE, per_task_definition: [] };

function reportsServer(): FakeServer {
  return createFakeServer()
    .on('GET', '/api/tickets/reports', jsonResponse(200, tickets))
    .on('GET', '/api/engine/metrics/report', jsonResponse(200, engine))
    .on('GET', '/api/actions/reports', jsonResponse(200, actions))
    .on('GET', '/api/tickets/reports/sla', jsonResponse(200, ticketSla))
    .on('GET', '/api/engine/metrics/sla', jsonResponse(200, taskSla));
}

const rowsOf = (table: HTMLElement) =>
  within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) =>
      within(row)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    );

describe('ReportsPage', () => {
  it('shows each breakdown as its chart and its table, durations readable', async () => {
    renderWithProviders(<ReportsPage isAdmin />, { user: admin, server: reportsServer(), route: ROUTE });

    const resolution = await screen.findByRole('table', { name: 'Time to resolution by type' });
    expect(rowsOf(resolution)).toEqual([['Leave', '2', '2 min', '2.0 h']]);
    expect(screen.getByRole('figure', { name: 'Time to resolution by type' })).toBeInTheDocument();
    expect(rowsOf(screen.getByRole('table', { name: 'Tickets created and closed per day and type' }))).toEqual([
      ['2026-03-02', 'leave', '3', '1'],
    ]);
    expect(screen.getByRole('figure', { name: 'Tickets created and closed per day' })).toBeInTheDocument();
    expect(rowsOf(await screen.findByRole('table', { name: 'Worker throughput' }))).toEqual([
      ['Former worker', '4', '30 s'],
    ]);
    expect(screen.getByRole('figure', { name: 'Tasks completed per worker' })).toBeInTheDocument();
    expect(rowsOf(await screen.findByRole('table', { name: 'Action failures by host' }))).toEqual([
      ['erp.example.com', '8', '2', '25.0 %', '12', '—', '—'],
    ]);
  });

  it('leaves the bars out and says so in the table when a breakdown has no rows', async () => {
    renderWithProviders(<ReportsPage isAdmin />, { user: admin, server: reportsServer(), route: ROUTE });

    const perTask = await screen.findByRole('table', { name: 'Time per task definition' });
    expect(within(perTask).getByText('No task was completed in this range.')).toBeInTheDocument();
    expect(screen.queryByRole('figure', { name: 'Time per task definition' })).not.toBeInTheDocument();
    const card = perTask.closest('section');
    if (!card) throw new Error('the table is not in a card');
    expect(within(card).getByRole('button', { name: 'Download CSV' })).toBeDisabled();
  });

  it('shows a failed report in its own sections, with a retry, and the others still', async () => {
    const server = reportsServer().on(
      'GET',
      '/api/engine/metrics/report',
      problemResponse(503, 'Service Unavailable', { detail: 'The engine is starting up.' }),
      jsonResponse(200, engine),
    );
    renderWithProviders(<ReportsPage isAdmin />, { user: admin, server, route: ROUTE });

    expect(await screen.findByText('Could not load worker throughput')).toBeInTheDocument();
    expect(screen.getByText('Could not load time per task')).toBeInTheDocument();
    expect(await screen.findByRole('table', { name: 'Time to resolution by type' })).toBeInTheDocument();

    await userEvent.setup().click(screen.getAllByRole('button', { name: 'Try again' })[0]!);

    expect(await screen.findByRole('table', { name: 'Worker throughput' })).toBeInTheDocument();
    expect(server.requestsTo('GET', '/api/engine/metrics/report')).toHaveLength(2);
  });

  it('says once, at the form, that a range cannot be reported', async () => {
    const refused = problemResponse(422, 'Unprocessable Content', {
      detail: 'The range is over 367 days.',
      errors: [{ loc: ['query', 'from'], msg: 'The range is over 367 days.', type: 'value_error' }],
    });
    const server = reportsServer().on('GET', '/api/tickets/reports', refused);
    renderWithProviders(<ReportsPage isAdmin />, { user: admin, server, route: ROUTE });

    expect(await screen.findByText('This date range cannot be reported')).toBeInTheDocument();
    expect(screen.queryByRole('table')).not.toBeInTheDocument();
  });

  it('asks nothing about actions for someone who is not an admin', async () => {
    const server = reportsServer();
    renderWithProviders(<ReportsPage isAdmin={false} />, { user: teamMember, server, route: ROUTE });

    await screen.findByRole('table', { name: 'Worker throughput' });
    expect(screen.getByText('Action failures by host are shown to admins only.')).toBeInTheDocument();
    expect(screen.queryByRole('table', { name: 'Action failures by host' })).not.toBeInTheDocument();
    expect(server.requestsTo('GET', '/api/actions/reports')).toHaveLength(0);
  });
});
