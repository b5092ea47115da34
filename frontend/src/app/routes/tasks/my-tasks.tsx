import { PageHeader } from '@/components/ui/page-header';
import { MyTasks } from '@/features/tasks/components/my-tasks';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function MyTasksRoute() {
  useDocumentTitle('My tasks');
  return (
    <>
      <PageHeader title="My tasks" description="Forms waiting for you to complete." />
      <MyTasks />
    </>
  );
}
