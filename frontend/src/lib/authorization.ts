import type { SystemRole, User } from '@/types/api';

/** Who may open a part of the app: anyone signed in, or holders of any of the listed roles. */
export type Access = 'signed-in' | readonly SystemRole[];

// One table for both the navigation and the route guards, so a link is shown exactly
// when its page would open.
export const ACCESS = {
  myTickets: 'signed-in',
  submitTicket: 'signed-in',
  tickets: ['ticket_admin', 'admin'],
  tasks: ['ticket_admin', 'admin'],
  reports: ['ticket_admin', 'admin'],
  myTasks: ['task_worker'],
  calendar: ['task_worker', 'ticket_admin', 'admin'],
  /** Everyone's tasks in the calendar, not only one's own. */
  teamCalendar: ['ticket_admin', 'admin'],
  notifications: 'signed-in',
  definitions: ['workflow_creator', 'admin'],
  admin: ['admin'],
} as const satisfies Record<string, Access>;

export function canAccess(user: User | null, access: Access): boolean {
  if (!user) return false;
  if (access === 'signed-in') return true;
  return access.some((role) => user.system_roles.includes(role));
}
