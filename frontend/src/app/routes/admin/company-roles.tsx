import { PageHeader } from '@/components/ui/page-header';
import { CompanyRolesManager } from '@/features/company-roles/components/company-roles-manager';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function CompanyRolesRoute() {
  useDocumentTitle('Company roles');
  return (
    <>
      <PageHeader title="Company roles" description="Every user holds the role “user”; add more to group them." />
      <div className="max-w-3xl">
        <CompanyRolesManager />
      </div>
    </>
  );
}
