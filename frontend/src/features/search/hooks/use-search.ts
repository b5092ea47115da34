import { useQuery } from '@tanstack/react-query';

import { searchTasks, searchTickets } from '@/features/search/api/search';

export const useTicketSearch = (q: string, team: boolean) =>
  useQuery({
    queryKey: ['search', 'tickets', q, team],
    queryFn: ({ signal }) => searchTickets(q, team, signal),
  });

/** Not sent for someone who has no task list to search. */
export const useTaskSearch = (q: string, team: boolean, worker: boolean) =>
  useQuery({
    queryKey: ['search', 'tasks', q, team],
    queryFn: ({ signal }) => searchTasks(q, team, signal),
    enabled: team || worker,
  });
