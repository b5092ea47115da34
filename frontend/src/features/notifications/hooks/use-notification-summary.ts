import { useSyncExternalStore } from 'react';

import { getSummary } from '@/features/notifications/api/notifications';
import type { NotificationSummary } from '@/features/notifications/types/notifications';

/** How often the bell asks; an unchanged answer is a bodiless 304. */
export const POLL_INTERVAL_MS = 10_000;

type Listener = () => void;

/**
 * One poller for the whole page, however many components show the count: it runs while
 * anyone listens, asks with the last ETag (so nothing changed costs a 304), asks again at
 * once when the tab comes back into view, and can be told to ask now (after marking read).
 */
function createSummaryStore() {
  let summary: NotificationSummary | null = null;
  let etag: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  const listeners = new Set<Listener>();

  const notify = () => listeners.forEach((listener) => listener());

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = listeners.size ? setTimeout(() => void poll(), POLL_INTERVAL_MS) : null;
  }

  function poll(): Promise<void> {
    inFlight ??= getSummary(etag)
      .then((answer) => {
        if (answer) {
          summary = answer.summary;
          etag = answer.etag;
          notify();
        }
      })
      .catch(() => {
        // A failed poll keeps the last count; the next one tries again.
      })
      .finally(() => {
        inFlight = null;
        schedule();
      });
    return inFlight;
  }

  const onVisible = () => {
    if (document.visibilityState === 'visible') void poll();
  };

  return {
    subscribe(listener: Listener) {
      listeners.add(listener);
      if (listeners.size === 1) {
        document.addEventListener('visibilitychange', onVisible);
        void poll();
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          document.removeEventListener('visibilitychange', onVisible);
          if (timer) clearTimeout(timer);
          timer = null;
          summary = null;
          etag = null;
        }
      };
    },
    snapshot: () => summary,
    refresh: () => (inFlight ? inFlight.then(poll) : poll()),
  };
}

const store = createSummaryStore();

export function useNotificationSummary(): { summary: NotificationSummary | null; refresh: () => Promise<void> } {
  const summary = useSyncExternalStore(store.subscribe, store.snapshot);
  return { summary, refresh: store.refresh };
}
