import { PageHeader } from '@/components/ui/page-header';
import { QuickLinks } from '@/features/dashboard/components/quick-links';
import { UserSummary } from '@/features/dashboard/components/user-summary';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';

export function DashboardRoute() {
  const user = useCurrentUser();
  useDocumentTitle('Dashboard');
  return (
    <>
      <PageHeader title={`Welcome, ${user.first_name}`} description="Here is what you can do in TicketFlower." />
      <div className="grid gap-8 lg:grid-cols-[1fr_22rem]">
        <QuickLinks user={user} />
        <UserSummary user={user} />
      </div>
    </>
  );
}
