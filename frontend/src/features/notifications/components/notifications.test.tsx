import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { NotificationBell } from '@/features/notifications/components/notification-bell';
import { NotificationsList } from '@/features/notifications/components/notifications-list';
import type { AppNotification } from '@/features/notifications/types/notifications';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const worker = makeUser({ system_roles: ['user', 'task_worker'] });

const overdue: AppNotification = {
  id: 'n-1',
  kind: 'task_overdue',
  title: 'Overdue: Review request',
  body: 'For IT-7 · Laptop for Ana.',
  link: '/tasks/t-1',
  ticket_id: 'k-1',
  task_instance_id: 't-1',
  created_at: '2031-01-02T09:30:00Z',
  read_at: null,
};

function summary(unread: number, etag: string) {
  return new Response(JSON.stringify({ unread, latest_id: 'n-1' }), {
    status: 200,
    headers: { 'Content-Type': 'application/json', ETag: etag },
  });
}

describe('Notifications', () => {
  it('counts the unread on the bell, marks one read and asks again with its ETag', async () => {
    let read = false;
    const server = createFakeServer()
      .on('GET', '/api/identity/notifications/summary', (request) => {
        if (read) return summary(0, '"after"');
        if (request.headers.get('If-None-Match') === '"before"') return new Response(null, { status: 304 });
        return summary(1, '"before"');
      })
      .on('GET', '/api/identity/notifications', () =>
        jsonResponse(200, {
          items: [{ ...overdue, read_at: read ? '2031-01-02T10:00:00Z' : null }],
          total: 1,
          page: 1,
          page_size: 20,
        }),
      )
      .on('POST', '/api/identity/notifications/n-1/read', () => {
        read = true;
        return jsonResponse(200, { ...overdue, read_at: '2031-01-02T10:00:00Z' });
      });
    renderWithProviders(
      <>
        <NotificationBell />
        <NotificationsList />
      </>,
      { user: worker, server },
    );

    expect(await screen.findByRole('link', { name: 'Notifications, 1 unread' }, { timeout: 5000 })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Overdue: Review request' }, { timeout: 5000 })).toBeInTheDocument();
    expect(screen.getByText('(unread)', { exact: false })).toBeInTheDocument();

    await userEvent.setup().click(screen.getByRole('button', { name: 'Mark read' }));

    await waitFor(() => expect(screen.getByRole('link', { name: 'Notifications' })).toBeInTheDocument(), {
      timeout: 5000,
    });
    expect(screen.queryByRole('button', { name: 'Mark read' })).not.toBeInTheDocument();
    const polls = server.requestsTo('GET', '/api/identity/notifications/summary');
    expect(polls.length).toBeGreaterThanOrEqual(2);
    expect(polls.at(-1)?.headers.get('If-None-Match')).toBe('"before"');
  });
});
