import type { ActionMetrics, EngineMetrics, TicketCreated } from '@/features/metrics/types/metrics';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

export const getEngineMetrics = (days: number, signal?: AbortSignal) =>
  apiClient.get<EngineMetrics>('/engine/metrics', { query: { days }, signal });

export const getActionMetrics = (signal?: AbortSignal) => apiClient.get<ActionMetrics>('/actions/metrics', { signal });

/** Tickets created since `from` (newest first, at most `limit`), to count per day. */
export async function recentTickets(
  from: string,
  limit: number,
  signal?: AbortSignal,
): Promise<{ items: TicketCreated[]; total: number }> {
  const page = await apiClient.get<Page<TicketCreated>>('/tickets/tickets', {
    query: { from, page: 1, page_size: limit, sort: '-created_at' },
    signal,
  });
  return { items: page.items, total: page.total };
}
