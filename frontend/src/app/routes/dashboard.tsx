import { PageHeader } from '@/components/ui/page-header';
import { Dashboard } from '@/features/dashboard/components/dashboard';
import { useCompany } from '@/features/dashboard/hooks/use-dashboard';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';

export function DashboardRoute() {
  const user = useCurrentUser();
  const company = useCompany();
  useDocumentTitle('Dashboard');
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.first_name}`}
        description={company.data ? <span data-testid="company-name">{company.data.name}</span> : undefined}
      />
      <Dashboard user={user} />
    </>
  );
}
