import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';

import { listCalendarTasks, type CalendarScope } from '@/features/tasks/api/calendar';
import type { Task } from '@/features/tasks/types/tasks';
import { errorMessage } from '@/lib/api-error';

export type CalendarRange = { start: Date; end: Date };

/**
 * The tasks of the visible range. FullCalendar asks for a range whenever its view or dates
 * change (its event source), so the range is fetched through the query client rather than
 * held in a query of the component: cached per scope and range, fresh for a moment. The answer
 * also feeds the overdue list beside the calendar, so both show one fetch.
 */
export function useCalendarTasks(scope: CalendarScope) {
  const queryClient = useQueryClient();
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (range: CalendarRange): Promise<Task[]> => {
      const start = range.start.toISOString();
      const end = range.end.toISOString();
      setError(null);
      try {
        const found = await queryClient.fetchQuery({
          queryKey: ['engine', 'tasks', 'calendar', scope, start, end],
          queryFn: ({ signal }) => listCalendarTasks({ start, end, scope }, signal),
          staleTime: 5_000,
        });
        setTasks(found);
        return found;
      } catch (failure) {
        setError(errorMessage(failure));
        throw failure;
      }
    },
    [queryClient, scope],
  );

  return { tasks, error, load };
}
