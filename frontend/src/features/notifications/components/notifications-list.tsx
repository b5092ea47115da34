import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { Pagination } from '@/components/ui/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { listNotifications, markAllRead, markRead } from '@/features/notifications/api/notifications';
import { useNotificationSummary } from '@/features/notifications/hooks/use-notification-summary';
import type { AppNotification } from '@/features/notifications/types/notifications';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime, humanize } from '@/lib/format';

const VIEWS = [
  { key: 'all', label: 'All' },
  { key: 'unread', label: 'Unread' },
] as const;
const PAGE_SIZE = 20;
const NOTIFICATIONS_KEY = ['identity', 'notifications'] as const;

/** The signed-in user's notifications, newest first, with their read state. */
export function NotificationsList() {
  const [view, setView] = useState<'all' | 'unread'>('all');
  const [page, setPage] = useState(1);
  const [problem, setProblem] = useState<string | null>(null);
  const { summary, refresh } = useNotificationSummary();
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: [...NOTIFICATIONS_KEY, view, page],
    queryFn: ({ signal }) => listNotifications({ unread: view === 'unread', page, page_size: PAGE_SIZE }, signal),
    placeholderData: keepPreviousData,
  });

  // A new notification (the bell's newest id changes) shows up here without a reload.
  const latest = summary?.latest_id ?? null;
  const seen = useRef(latest);
  useEffect(() => {
    if (latest !== seen.current) {
      seen.current = latest;
      void queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY });
    }
  }, [latest, queryClient]);

  const reading = useMutation({
    mutationFn: (notificationId: string | null): Promise<unknown> =>
      notificationId ? markRead(notificationId) : markAllRead(),
    onMutate: () => setProblem(null),
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: NOTIFICATIONS_KEY }), refresh()]),
    onError: (error) => setProblem(errorMessage(error)),
  });

  let body;
  if (list.isError) body = <ErrorState message={errorMessage(list.error)} onRetry={() => void list.refetch()} />;
  else if (!list.data) body = <LoadingState label="Loading your notifications…" />;
  else if (list.data.items.length === 0)
    body = (
      <EmptyState title={view === 'unread' ? 'Nothing unread' : 'No notifications yet'}>
        You hear here of tasks given to you, tickets of yours that change, and what is late.
      </EmptyState>
    );
  else
    body = (
      <>
        <ul
          className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white shadow-sm"
          aria-busy={list.isFetching || undefined}
        >
          {list.data.items.map((item) => (
            <NotificationItem key={item.id} item={item} onRead={() => reading.mutate(item.id)} />
          ))}
        </ul>
        <Pagination
          page={page}
          pageSize={list.data.page_size}
          total={list.data.total}
          itemLabel={list.data.total === 1 ? 'notification' : 'notifications'}
          disabled={list.isFetching}
          onPageChange={setPage}
        />
      </>
    );

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <Tabs
          label="Notification views"
          tabs={VIEWS}
          selected={view}
          onSelect={(next) => {
            setView(next);
            setPage(1);
          }}
        />
        <Button variant="secondary" size="small" disabled={!summary?.unread} onClick={() => reading.mutate(null)}>
          Mark all read
        </Button>
      </div>
      {problem && (
        <p role="alert" className="text-sm text-red-700">
          {problem}
        </p>
      )}
      {body}
    </div>
  );
}

function NotificationItem({ item, onRead }: { item: AppNotification; onRead: () => void }) {
  const unread = item.read_at === null;
  return (
    <li
      className={`flex flex-wrap items-start gap-3 px-4 py-3 ${unread ? 'bg-indigo-50/60' : ''}`}
      data-testid="notification"
      data-read={unread ? 'false' : 'true'}
    >
      <span
        aria-hidden="true"
        className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${unread ? 'bg-indigo-600' : 'bg-transparent'}`}
      />
      <div className="min-w-0 flex-1">
        <p className={`text-sm ${unread ? 'font-semibold text-slate-900' : 'text-slate-800'}`}>
          {item.link ? (
            <Link to={item.link} className="hover:underline" onClick={unread ? onRead : undefined}>
              {item.title}
            </Link>
          ) : (
            item.title
          )}
          <span className="sr-only">{unread ? ' (unread)' : ' (read)'}</span>
        </p>
        {item.body && <p className="mt-0.5 text-sm text-slate-600">{item.body}</p>}
        <p className="mt-1 text-xs text-slate-500">
          {humanize(item.kind)} · {formatDateTime(item.created_at)}
        </p>
      </div>
      {unread && (
        <Button variant="ghost" size="small" onClick={onRead}>
          Mark read
        </Button>
      )}
    </li>
  );
}
