import { useParams } from 'react-router';

import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { CompanyList } from '@/features/operator/components/company-list';
import { CompanyOverviewView } from '@/features/operator/components/company-overview';
import { OperatorLoginForm } from '@/features/operator/components/operator-login';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function OperatorLoginRoute() {
  useDocumentTitle('Operator sign-in');
  return (
    <div className="mx-auto max-w-md">
      <PageHeader title="Operator sign-in" description="For the people who run the TicketFlower platform." />
      <Card>
        <OperatorLoginForm />
      </Card>
    </div>
  );
}

export function OperatorConsoleRoute() {
  useDocumentTitle('Companies');
  return (
    <>
      <PageHeader
        title="Companies"
        description="Every company on the platform: status and size, nothing of their data."
      />
      <CompanyList />
    </>
  );
}

export function OperatorCompanyRoute() {
  const { companyId = '' } = useParams();
  return <CompanyOverviewView key={companyId} companyId={companyId} />;
}
