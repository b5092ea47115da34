import { PageHeader } from '@/components/ui/page-header';
import { ReportsPage } from '@/features/reports/components/reports-page';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';

export function ReportsRoute() {
  const user = useCurrentUser();
  useDocumentTitle('Reports');
  return (
    <>
      <PageHeader
        title="Reports"
        description="How work flows through your company over a date range, with each table as CSV."
      />
      <ReportsPage isAdmin={user.system_roles.includes('admin')} />
    </>
  );
}
