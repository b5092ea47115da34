import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { TaskExecution } from '@/features/tasks/components/task-execution';
import type { TaskDetail } from '@/features/tasks/types/tasks';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const worker = makeUser({ system_roles: ['task_worker'] });

const task: TaskDetail = {
  id: 'task-1',
  workflow_instance_id: 'wi-1',
  ticket_id: 'ticket-1',
  ticket_number: 'IT-1',
  ticket_title: 'New hire',
  workflow_status: 'RUNNING',
  task_key: 'review_request',
  name: 'Review request',
  task_type: 'FORM',
  status: 'IN_PROGRESS',
  assignee_id: worker.id,
  assigned_at: null,
  assignment: null,
  assignment_explanation: null,
  attempt: 0,
  error: null,
  version: 3,
  created_at: '2030-01-01T00:00:00Z',
  started_at: null,
  completed_at: null,
  due_at: null,
  escalated_at: null,
  overdue: false,
  description: '',
  input_schema: {},
  output_schema: {
    type: 'object',
    properties: {
      approved: { type: 'boolean', title: 'Approved' },
      laptop: { type: 'string', title: 'Laptop', enum: ['standard', 'none'] },
    },
    required: ['laptop'],
  },
  edit_layout: null,
  display_layout: null,
  data: {},
  output: null,
  history: [],
  assignments: [],
};

describe('TaskExecution', () => {
  it('completes the task with the form’s output and the version it read', async () => {
    const server = createFakeServer().on(
      'POST',
      '/api/engine/tasks/task-1/complete',
      jsonResponse(200, { ...task, status: 'COMPLETED' }),
    );
    const onChanged = vi.fn();
    renderWithProviders(<TaskExecution task={task} onChanged={onChanged} onReload={vi.fn()} />, {
      user: worker,
      server,
    });
    const user = userEvent.setup();

    await user.click(await screen.findByLabelText(/^Approved/));
    await user.selectOptions(screen.getByLabelText(/^Laptop/), 'none');
    await user.click(screen.getByRole('button', { name: 'Complete task' }));

    await vi.waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(server.requestsTo('POST', '/api/engine/tasks/task-1/complete')[0]?.body).toEqual({
      output: { approved: true, laptop: 'none' },
      expected_version: 3,
    });
  });

  it('shows a 409 with a way to reload, and a 422 at the fields', async () => {
    const server = createFakeServer().on(
      'POST',
      '/api/engine/tasks/task-1/complete',
      problemResponse(422, 'Validation failed', {
        errors: [{ loc: ['body', 'output', 'laptop'], msg: "'standard' is not allowed today", type: 'enum' }],
      }),
      problemResponse(409, 'Conflict', { detail: 'The task changed since it was read; reload it and try again.' }),
    );
    const onReload = vi.fn();
    renderWithProviders(<TaskExecution task={task} onChanged={vi.fn()} onReload={onReload} />, {
      user: worker,
      server,
    });
    const user = userEvent.setup();

    await user.selectOptions(await screen.findByLabelText(/^Laptop/), 'standard');
    await user.click(screen.getByRole('button', { name: 'Complete task' }));
    expect(await screen.findByText("'standard' is not allowed today")).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Complete task' }));
    expect(await screen.findByText(/changed since it was read/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Reload the task' }));
    expect(onReload).toHaveBeenCalled();
  });
});
