import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { SubmitTicket } from '@/features/tickets/components/submit-ticket';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const itOnboarding = {
  key: 'it_onboarding',
  version: 1,
  name: 'IT onboarding',
  description: 'Accounts and equipment for a new employee.',
  prefix: 'IT',
  fields: {
    type: 'object',
    properties: {
      employee_name: { type: 'string', title: 'Employee name' },
      department: { type: 'string', title: 'Department', enum: ['Engineering', 'Sales'] },
    },
    required: ['employee_name', 'department'],
  },
  edit_layout: null,
  display_layout: null,
};

describe('SubmitTicket', () => {
  it('renders the type’s fields, shows the server’s problems at their field, then submits', async () => {
    const created = { id: 't-1', number: 'IT-1' };
    const server = createFakeServer()
      .on('GET', '/api/tickets/ticket-types', jsonResponse(200, [itOnboarding]))
      .on(
        'POST',
        '/api/tickets/tickets',
        problemResponse(422, 'Validation failed', {
          errors: [
            { loc: ['body', 'ticket_data', 'employee_name'], msg: 'names a person we already hired', type: 'x' },
          ],
        }),
        jsonResponse(201, created),
      );
    const onSubmitted = vi.fn();
    renderWithProviders(<SubmitTicket onSubmitted={onSubmitted} />, { user: makeUser(), server });
    const user = userEvent.setup();

    await user.type(await screen.findByLabelText(/^Title/), 'New hire');
    await user.type(screen.getByLabelText(/^Employee name/), 'Grace Hopper');
    await user.selectOptions(screen.getByLabelText(/^Department/), 'Engineering');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    expect(await screen.findByText('names a person we already hired')).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/tickets/tickets')[0]?.body).toEqual({
      ticket_type_key: 'it_onboarding',
      title: 'New hire',
      ticket_data: { employee_name: 'Grace Hopper', department: 'Engineering' },
    });

    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));
    await vi.waitFor(() => expect(onSubmitted).toHaveBeenCalledWith(created));
  });

  it('sends one Idempotency-Key per submission, reused when the same content is sent again', async () => {
    const server = createFakeServer()
      .on('GET', '/api/tickets/ticket-types', jsonResponse(200, [itOnboarding]))
      .on(
        'POST',
        '/api/tickets/tickets',
        problemResponse(503, 'Service unavailable'),
        problemResponse(503, 'Service unavailable'),
        jsonResponse(201, { id: 't-2', number: 'IT-2' }),
      );
    renderWithProviders(<SubmitTicket onSubmitted={vi.fn()} />, { user: makeUser(), server });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/^Title/), 'New hire');
    await user.type(screen.getByLabelText(/^Employee name/), 'Grace Hopper');
    await user.selectOptions(screen.getByLabelText(/^Department/), 'Engineering');
    const submit = screen.getByRole('button', { name: 'Submit ticket' });
    await user.click(submit);
    await vi.waitFor(() => expect(server.requestsTo('POST', '/api/tickets/tickets')).toHaveLength(1));
    await vi.waitFor(() => expect(submit).toBeEnabled());
    await user.click(submit);
    await vi.waitFor(() => expect(server.requestsTo('POST', '/api/tickets/tickets')).toHaveLength(2));
    await vi.waitFor(() => expect(submit).toBeEnabled());
    await user.type(screen.getByLabelText(/^Title/), ' (again)');
    await user.click(submit);
    await vi.waitFor(() => expect(server.requestsTo('POST', '/api/tickets/tickets')).toHaveLength(3));

    const keys = server.requestsTo('POST', '/api/tickets/tickets').map((r) => r.headers.get('Idempotency-Key'));
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).not.toBe(keys[0]);
  });

  it('checks required fields in the browser before sending anything', async () => {
    const server = createFakeServer().on('GET', '/api/tickets/ticket-types', jsonResponse(200, [itOnboarding]));
    renderWithProviders(<SubmitTicket onSubmitted={vi.fn()} />, { user: makeUser(), server });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/^Title/), 'New hire');
    await user.click(screen.getByRole('button', { name: 'Submit ticket' }));

    expect(await screen.findAllByText(/must have required property/)).not.toHaveLength(0);
    expect(server.requestsTo('POST', '/api/tickets/tickets')).toHaveLength(0);
  });

  it('says when there is nothing the user may submit', async () => {
    const server = createFakeServer().on('GET', '/api/tickets/ticket-types', jsonResponse(200, []));
    renderWithProviders(<SubmitTicket onSubmitted={vi.fn()} />, { user: makeUser(), server });
    expect(await screen.findByText('No ticket types to submit')).toBeInTheDocument();
  });
});
