import type { Task } from '@/features/tasks/types/tasks';
import { apiClient } from '@/lib/api-client';

export type CalendarScope = 'mine' | 'team';

/** FORM tasks due in [start, end), and every open task already overdue, soonest first. */
export function listCalendarTasks(
  query: { start: string; end: string; scope: CalendarScope },
  signal?: AbortSignal,
): Promise<Task[]> {
  return apiClient.get<Task[]>('/engine/tasks/calendar', { query, signal });
}
