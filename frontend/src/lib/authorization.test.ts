import { describe, expect, it } from 'vitest';

import { ACCESS, canAccess } from '@/lib/authorization';
import { makeUser } from '@/testing/data';

describe('canAccess', () => {
  it('lets anyone signed in through "signed-in", and nobody when signed out', () => {
    expect(canAccess(makeUser({ system_roles: [] }), 'signed-in')).toBe(true);
    expect(canAccess(null, 'signed-in')).toBe(false);
  });

  it('requires any one of the listed system roles', () => {
    const ticketAdmin = makeUser({ system_roles: ['user', 'ticket_admin'] });
    expect(canAccess(ticketAdmin, ACCESS.tickets)).toBe(true);
    expect(canAccess(ticketAdmin, ACCESS.definitions)).toBe(false);
    expect(canAccess(ticketAdmin, ACCESS.admin)).toBe(false);
    expect(canAccess(makeUser({ system_roles: ['admin'] }), ACCESS.definitions)).toBe(true);
  });

  it('opens "My tasks" to task workers only, not to admins', () => {
    expect(canAccess(makeUser({ system_roles: ['task_worker'] }), ACCESS.myTasks)).toBe(true);
    expect(canAccess(makeUser({ system_roles: ['admin'] }), ACCESS.myTasks)).toBe(false);
  });
});
