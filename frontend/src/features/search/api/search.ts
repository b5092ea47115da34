import type { Hits, TaskHit, TicketHit } from '@/features/search/types/search';
import { apiClient } from '@/lib/api-client';

export const RESULTS_SHOWN = 20;

/** The ticket team searches every ticket of the company; anyone else their own. */
export const searchTickets = (q: string, team: boolean, signal?: AbortSignal) =>
  apiClient.get<Hits<TicketHit>>(team ? '/tickets/tickets' : '/tickets/tickets/mine', {
    query: { q, page_size: RESULTS_SHOWN, ...(team ? { sort: 'relevance' } : {}) },
    signal,
  });

/** The ticket team searches every task, open or done; a task worker their own open ones. */
export const searchTasks = (q: string, team: boolean, signal?: AbortSignal) =>
  apiClient.get<Hits<TaskHit>>(team ? '/engine/tasks' : '/engine/tasks/mine', {
    query: { q, page_size: RESULTS_SHOWN },
    signal,
  });
