import { useLocation, useParams } from 'react-router';

import { useCompanyRoleOptions } from '@/app/routes/admin/use-company-role-options';
import { UserDetail } from '@/features/users/components/user-detail';
import type { UserCreatedState } from '@/features/users/components/create-user-form';

export function UserRoute() {
  const { userId = '' } = useParams();
  const notice = (useLocation().state as UserCreatedState | null)?.notice;
  const companyRoles = useCompanyRoleOptions();
  return (
    <div className="max-w-3xl">
      <UserDetail key={userId} userId={userId} companyRoles={companyRoles} notice={notice} />
    </div>
  );
}
