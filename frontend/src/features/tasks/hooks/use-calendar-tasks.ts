import { useCallback, useState } from 'react';

import { listCalendarTasks, type CalendarScope } from '@/features/tasks/api/calendar';
import type { Task } from '@/features/tasks/types/tasks';
import { errorMessage } from '@/lib/api-error';

export type CalendarRange = { start: Date; end: Date };

/**
 * The tasks of the visible range. The calendar asks for a range whenever its view or dates
 * change; the answer also feeds the overdue list beside it, so both show one fetch.
 */
export function useCalendarTasks(scope: CalendarScope) {
  const [tasks, setTasks] = useState<Task[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (range: CalendarRange, signal?: AbortSignal): Promise<Task[]> => {
      setError(null);
      try {
        const found = await listCalendarTasks(
          { start: range.start.toISOString(), end: range.end.toISOString(), scope },
          signal,
        );
        setTasks(found);
        return found;
      } catch (failure) {
        setError(errorMessage(failure));
        throw failure;
      }
    },
    [scope],
  );

  return { tasks, error, load };
}
