import { searchTasks, searchTickets } from '@/features/search/api/search';
import type { Hits, TaskHit } from '@/features/search/types/search';
import { useResource } from '@/hooks/use-resource';

export const useTicketSearch = (q: string, team: boolean) =>
  useResource((signal) => searchTickets(q, team, signal), [q, team]);

/** Null for someone who has no task list to search. */
export const useTaskSearch = (q: string, team: boolean, worker: boolean) =>
  useResource(
    (signal): Promise<Hits<TaskHit> | null> => (team || worker ? searchTasks(q, team, signal) : Promise.resolve(null)),
    [q, team, worker],
  );
