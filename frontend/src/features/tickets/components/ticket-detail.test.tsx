import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { TICKET_WATCH_SECONDS } from '@/features/tickets/api/tickets';
import { TicketDetailView } from '@/features/tickets/components/ticket-detail';
import type { TicketDetail } from '@/features/tickets/types/tickets';
import { makeUser } from '@/testing/data';
import { createFakeServer, type RecordedRequest } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const PATH = '/api/tickets/tickets/k-1';

const inProgress: TicketDetail = {
  id: 'k-1',
  number: 'IT-7',
  title: 'Laptop for Ana',
  ticket_type_key: 'it_onboarding',
  ticket_type_version: 1,
  ticket_type_name: 'IT onboarding',
  status: 'IN_PROGRESS',
  current_task_name: 'Review request',
  submitted_by: 'u-1',
  submitted_by_name: 'Ana Lima',
  submitted_by_email: 'ana@example.com',
  source: 'api',
  outcome: null,
  created_at: '2031-01-02T09:00:00Z',
  updated_at: '2031-01-02T09:00:00Z',
  status_changed_at: '2031-01-02T09:00:00Z',
  closed_at: null,
  resolution_due_at: null,
  ticket_data: {},
  display_layout: null,
  timeline: [],
  attachments: [],
  overdue: false,
};

function detail(ticket: TicketDetail, etag: string): Response {
  return new Response(JSON.stringify(ticket), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ETag: etag },
  });
}

describe('TicketDetailView', () => {
  it('watches an open ticket with its ETag and shows the change the server answers with', async () => {
    let release: () => void = () => {};
    const changed = new Promise<void>((resolve) => {
      release = resolve;
    });
    const server = createFakeServer().on('GET', PATH, async (request: RecordedRequest) => {
      if (request.headers.get('If-None-Match') !== '"one"') return detail(inProgress, '"one"');
      // The server holds a watching read until the ticket changes.
      await changed;
      return detail({ ...inProgress, status: 'COMPLETED', current_task_name: null }, '"two"');
    });
    renderWithProviders(<TicketDetailView ticketId="k-1" />, { user: makeUser(), server });

    expect(await screen.findByText('· now: Review request', undefined, { timeout: 5000 })).toBeInTheDocument();
    await waitFor(() => expect(server.requestsTo('GET', PATH).length).toBe(2), { timeout: 5000 });
    const watching = server.requestsTo('GET', PATH).at(1);
    expect(watching?.headers.get('If-None-Match')).toBe('"one"');
    expect(watching?.headers.get('Prefer')).toBe(`wait=${TICKET_WATCH_SECONDS}`);

    release();
    await waitFor(() => expect(screen.queryByText('· now: Review request')).not.toBeInTheDocument(), {
      timeout: 5000,
    });
    expect(screen.getByTestId('ticket-status')).toHaveTextContent(/completed/i);
    // A finished ticket no longer changes: it is not watched any more.
    const reads = server.requestsTo('GET', PATH).length;
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(server.requestsTo('GET', PATH).length).toBe(reads);
  });

  it('keeps the copy it shows when the server answers that it is still current', async () => {
    const server = createFakeServer().on(
      'GET',
      PATH,
      detail(inProgress, '"one"'),
      new Response(null, { status: 304, headers: { ETag: '"one"' } }),
    );
    renderWithProviders(<TicketDetailView ticketId="k-1" />, { user: makeUser(), server });

    expect(await screen.findByText('· now: Review request', undefined, { timeout: 5000 })).toBeInTheDocument();
    await waitFor(() => expect(server.requestsTo('GET', PATH).length).toBeGreaterThanOrEqual(3), { timeout: 5000 });
    expect(screen.getByText('· now: Review request')).toBeInTheDocument();
    expect(server.requestsTo('GET', PATH).at(-1)?.headers.get('If-None-Match')).toBe('"one"');
  });
});
