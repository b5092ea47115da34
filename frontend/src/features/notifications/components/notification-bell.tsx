import { NavLink } from 'react-router';

import { paths } from '@/config/paths';
import { useNotificationSummary } from '@/features/notifications/hooks/use-notification-summary';

/** The header's bell: a link to the notifications page with the unread count on it. */
export function NotificationBell() {
  const { summary } = useNotificationSummary();
  const unread = summary?.unread ?? 0;
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <NavLink
      to={paths.notifications}
      aria-label={label}
      title={label}
      className={({ isActive }) =>
        `relative inline-flex h-9 w-9 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 ${
          isActive ? 'bg-slate-100' : ''
        }`
      }
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        className="h-5 w-5"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
      >
        <path
          strokeLinecap="round"
          strokeLinejoin="round"
          d="M15 17h5l-1.4-1.4A2 2 0 0 1 18 14.2V11a6 6 0 1 0-12 0v3.2a2 2 0 0 1-.6 1.4L4 17h5m6 0a3 3 0 1 1-6 0m6 0H9"
        />
      </svg>
      {unread > 0 && (
        <span
          data-testid="unread-count"
          className="absolute -top-1 -right-1 min-w-5 rounded-full bg-red-600 px-1.5 text-center text-xs leading-5 font-semibold text-white"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </NavLink>
  );
}
