import { paths } from '@/config/paths';
import { ACCESS, canAccess, type Access } from '@/lib/authorization';
import type { User } from '@/types/api';

export type NavigationItem = {
  label: string;
  to: string;
  description: string;
  access: Access;
};

export const NAVIGATION: readonly NavigationItem[] = [
  {
    label: 'My tickets',
    to: paths.myTickets,
    description: 'Follow the tickets you have submitted.',
    access: ACCESS.myTickets,
  },
  {
    label: 'Submit ticket',
    to: paths.submitTicket,
    description: 'Raise a new request with your company.',
    access: ACCESS.submitTicket,
  },
  {
    label: 'Tickets',
    to: paths.tickets,
    description: 'Every ticket in your company and its workflow.',
    access: ACCESS.tickets,
  },
  {
    label: 'Tasks',
    to: paths.tasks,
    description: 'All open and finished tasks across workflows.',
    access: ACCESS.tasks,
  },
  {
    label: 'Assign tasks',
    to: paths.assignmentQueue,
    description: 'Form tasks waiting for a worker; assign them by hand.',
    access: ACCESS.tasks,
  },
  {
    label: 'My tasks',
    to: paths.myTasks,
    description: 'Forms waiting for you to complete.',
    access: ACCESS.myTasks,
  },
  {
    label: 'Calendar',
    to: paths.calendar,
    description: 'Upcoming and overdue tasks by their due dates.',
    access: ACCESS.calendar,
  },
  {
    label: 'Reports',
    to: paths.reports,
    description: 'Tickets, resolution times, task times, throughput and action failures over a date range.',
    access: ACCESS.reports,
  },
  {
    label: 'Definitions',
    to: paths.definitions,
    description: 'Design ticket types, workflows and tasks.',
    access: ACCESS.definitions,
  },
  {
    label: 'Admin',
    to: paths.admin,
    description: 'Manage users and company roles.',
    access: ACCESS.admin,
  },
];

export function navigationFor(user: User | null): NavigationItem[] {
  return NAVIGATION.filter((item) => canAccess(user, item.access));
}
