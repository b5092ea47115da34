import { describe, expect, it } from 'vitest';

import { waitingOn } from '@/features/dashboard/components/requester-panel';
import type { WaitingTicket } from '@/features/dashboard/types/dashboard';

const ticket = (over: Partial<WaitingTicket>): WaitingTicket => ({
  id: 't',
  number: 'IT-1',
  title: 'Laptop',
  status: 'IN_PROGRESS',
  ticket_type_key: 'it',
  created_at: '2026-03-02T09:00:00Z',
  status_changed_at: '2026-03-02T09:00:00Z',
  waiting_on: 'Review',
  task_status: 'ASSIGNED',
  assigned: true,
  ...over,
});

describe('waitingOn', () => {
  it('says who holds the task', () => {
    expect(waitingOn(ticket({}))).toBe('Review: with a team member');
    expect(waitingOn(ticket({ assigned: false, task_status: 'PENDING' }))).toBe('Review: waiting for a team member');
    expect(waitingOn(ticket({ assigned: false, task_status: 'IN_PROGRESS' }))).toBe('Review: in progress');
  });

  it('puts the ticket’s own state first', () => {
    expect(waitingOn(ticket({ status: 'ON_HOLD' }))).toBe('On hold');
    expect(waitingOn(ticket({ status: 'SUBMITTED', waiting_on: null, task_status: null }))).toBe('Starting');
  });
});
