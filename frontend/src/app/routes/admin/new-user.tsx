import { useCompanyRoleOptions } from '@/app/routes/admin/use-company-role-options';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { CreateUserForm } from '@/features/users/components/create-user-form';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function NewUserRoute() {
  useDocumentTitle('New user');
  const companyRoles = useCompanyRoleOptions();
  return (
    <>
      <PageHeader title="New user" description="Add someone from your company to TicketFlower." />
      <div className="max-w-3xl">
        <Card>
          <CreateUserForm companyRoles={companyRoles} />
        </Card>
      </div>
    </>
  );
}
