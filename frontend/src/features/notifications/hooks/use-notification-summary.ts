import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { getSummary } from '@/features/notifications/api/notifications';
import type { NotificationSummary } from '@/features/notifications/types/notifications';

/** How often the bell asks; an unchanged answer is a bodiless 304. */
export const POLL_INTERVAL_MS = 10_000;
export const SUMMARY_KEY = ['identity', 'notifications', 'summary'] as const;

// The ETag of the cached summary. The query cache holds the summary itself; a 304 says it
// still holds, so the ETag is sent only while there is a cached summary to keep.
let cachedEtag: string | null = null;

/**
 * The unread count and newest id, polled (one query for every component that shows them) with
 * `If-None-Match`, again when the window regains focus, and at once after `refresh`.
 */
export function useNotificationSummary(): { summary: NotificationSummary | null; refresh: () => Promise<void> } {
  const queryClient = useQueryClient();
  const query = useQuery({
    queryKey: SUMMARY_KEY,
    queryFn: async ({ signal }) => {
      const cached = queryClient.getQueryData<NotificationSummary>(SUMMARY_KEY);
      const answer = await getSummary(cached ? cachedEtag : null, signal);
      if (answer === null && cached) return cached;
      cachedEtag = answer?.etag ?? null;
      return answer?.summary ?? { unread: 0, latest_id: null };
    },
    refetchInterval: POLL_INTERVAL_MS,
  });
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: SUMMARY_KEY }), [queryClient]);
  return { summary: query.data ?? null, refresh };
}
