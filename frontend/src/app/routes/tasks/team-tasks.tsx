import { PageHeader } from '@/components/ui/page-header';
import { TeamTasks } from '@/features/tasks/components/team-tasks';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function TeamTasksRoute() {
  useDocumentTitle('Tasks');
  return (
    <>
      <PageHeader title="Tasks" description="All open and finished tasks across workflows." />
      <TeamTasks />
    </>
  );
}
