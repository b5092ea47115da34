import { useQuery } from '@tanstack/react-query';

import {
  getCompany,
  getEngineOverview,
  getMyOpenTickets,
  getMyPerformance,
  getMyOpenTasks,
  getTicketOverview,
} from '@/features/dashboard/api/dashboard';

export const useCompany = () =>
  useQuery({ queryKey: ['identity', 'company'], queryFn: ({ signal }) => getCompany(signal) });
export const useMyOpenTickets = () =>
  useQuery({ queryKey: ['tickets', 'reports', 'mine'], queryFn: ({ signal }) => getMyOpenTickets(signal) });
export const useTicketOverview = () =>
  useQuery({ queryKey: ['tickets', 'reports', 'overview'], queryFn: ({ signal }) => getTicketOverview(signal) });
export const useEngineOverview = () =>
  useQuery({ queryKey: ['engine', 'metrics', 'overview'], queryFn: ({ signal }) => getEngineOverview(signal) });
export const useMyPerformance = () =>
  useQuery({ queryKey: ['engine', 'metrics', 'me'], queryFn: ({ signal }) => getMyPerformance(signal) });

/** How many of the caller's open tasks the dashboard lists. */
export const MY_TASKS_SHOWN = 10;

/** The caller's open tasks, soonest due first and undated last (the task list's `sort=due_at`);
 * under the My tasks key, so completing a task refreshes it. */
export const useMyTasksByDueDate = () =>
  useQuery({
    queryKey: ['engine', 'tasks', 'mine', 'dashboard', 'by-due-date'],
    queryFn: ({ signal }) =>
      getMyOpenTasks({ view: 'active', sort: 'due_at', page: 1, page_size: MY_TASKS_SHOWN }, signal),
  });

/** How many of the caller's open tasks are past their due time (only the total is read). */
export const useMyOverdueCount = () =>
  useQuery({
    queryKey: ['engine', 'tasks', 'mine', 'dashboard', 'overdue'],
    queryFn: ({ signal }) => getMyOpenTasks({ view: 'active', overdue: true, page: 1, page_size: 1 }, signal),
    select: (page) => page.total,
  });
