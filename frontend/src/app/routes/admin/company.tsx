import { CompanyPage } from '@/features/company/components/company-page';

export function CompanyRoute() {
  return <CompanyPage />;
}
