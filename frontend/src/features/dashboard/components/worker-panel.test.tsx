import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { MyOpenTasks } from '@/features/dashboard/components/worker-panel';
import type { MyTask } from '@/features/dashboard/types/dashboard';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const worker = makeUser({ system_roles: ['task_worker'] });

const task = (id: string, name: string, over: Partial<MyTask> = {}): MyTask => ({
  id,
  workflow_instance_id: 'wi-1',
  ticket_id: 'ticket-1',
  ticket_number: 'IT-1',
  ticket_title: 'New hire',
  workflow_status: 'RUNNING',
  task_key: 'review_request',
  name,
  task_type: 'FORM',
  status: 'ASSIGNED',
  assignee_id: worker.id,
  assigned_at: null,
  assignment: null,
  assignment_explanation: null,
  attempt: 0,
  error: null,
  version: 1,
  created_at: '2030-01-01T00:00:00Z',
  started_at: null,
  completed_at: null,
  due_at: null,
  escalated_at: null,
  overdue: false,
  ...over,
});

const page = (items: MyTask[], total = items.length) => ({ items, total, page: 1, page_size: 10 });

describe('MyOpenTasks', () => {
  it('lists my tasks in the order of the due-date sort, marks the overdue ones and says how many', async () => {
    const late = task('t-1', 'Late review', { due_at: '2030-01-02T09:00:00Z', overdue: true });
    const soon = task('t-2', 'Soon review', { due_at: '2030-01-09T09:00:00Z' });
    const undated = task('t-3', 'Undated review');
    const server = createFakeServer().on('GET', '/api/engine/tasks/mine', (request) =>
      request.url.searchParams.get('overdue') === 'true'
        ? jsonResponse(200, page([late], 1))
        : jsonResponse(200, page([late, soon, undated])),
    );
    renderWithProviders(<MyOpenTasks />, { user: worker, server });

    const list = await screen.findByRole('list', { name: 'My open tasks' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((row) => within(row).getByRole('link').textContent)).toEqual([
      'Late review',
      'Soon review',
      'Undated review',
    ]);
    expect(within(rows[0]!).getByText('Overdue')).toBeInTheDocument();
    expect(within(rows[1]!).queryByText('Overdue')).not.toBeInTheDocument();
    expect(within(rows[2]!).getByText('No due date')).toBeInTheDocument();
    expect(await screen.findByTestId('overdue-count')).toHaveTextContent('1 task is overdue.');
    expect(screen.queryByText(/no due dates yet/)).not.toBeInTheDocument();

    const listed = server.requestsTo('GET', '/api/engine/tasks/mine').map((r) => r.url.searchParams);
    const sorted = listed.find((params) => params.get('overdue') === null);
    expect(sorted?.get('sort')).toBe('due_at');
    expect(sorted?.get('view')).toBe('active');
    expect(listed.some((params) => params.get('overdue') === 'true')).toBe(true);
  });

  it('says nothing is waiting, and no overdue count, when I have no open task', async () => {
    const server = createFakeServer().on('GET', '/api/engine/tasks/mine', jsonResponse(200, page([])));
    renderWithProviders(<MyOpenTasks />, { user: worker, server });
    expect(await screen.findByText('Nothing waiting for you.')).toBeInTheDocument();
    expect(screen.queryByTestId('overdue-count')).not.toBeInTheDocument();
  });
});
