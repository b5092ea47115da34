import { PageHeader } from '@/components/ui/page-header';
import { NotificationPreferences } from '@/features/notifications/components/notification-preferences';
import { NotificationsList } from '@/features/notifications/components/notifications-list';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function NotificationsRoute() {
  useDocumentTitle('Notifications');
  return (
    <>
      <PageHeader title="Notifications" description="What happened to your tasks and tickets." />
      <NotificationsList />
      <section aria-labelledby="notification-settings" className="mt-10">
        <h2 id="notification-settings" className="mb-3 text-lg font-semibold text-slate-900">
          Settings
        </h2>
        <NotificationPreferences />
      </section>
    </>
  );
}
