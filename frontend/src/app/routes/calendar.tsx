import { PageHeader } from '@/components/ui/page-header';
import { TaskCalendar } from '@/features/tasks/components/task-calendar';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';
import { ACCESS, canAccess } from '@/lib/authorization';

export function CalendarRoute() {
  useDocumentTitle('Calendar');
  const user = useCurrentUser();
  return (
    <>
      <PageHeader title="Calendar" description="Tasks by their due dates; late ones are listed first." />
      <TaskCalendar team={canAccess(user, ACCESS.teamCalendar)} worker={canAccess(user, ACCESS.myTasks)} />
    </>
  );
}
