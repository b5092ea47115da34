import { useEffect } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';

import { useCompanyRoleOptions } from '@/app/routes/admin/use-company-role-options';
import { UserDetail } from '@/features/users/components/user-detail';
import type { UserCreatedState } from '@/features/users/components/create-user-form';

export function UserRoute() {
  const { userId = '' } = useParams();
  const location = useLocation();
  const navigate = useNavigate();
  const notice = (location.state as UserCreatedState | null)?.notice;
  // The page keeps the notice it was opened with; the history entry drops it, so a reload or
  // coming back later does not announce the creation again.
  useEffect(() => {
    if (notice) void navigate(location.pathname, { replace: true, state: null });
  }, [notice, navigate, location.pathname]);
  const companyRoles = useCompanyRoleOptions();
  return (
    <div className="max-w-3xl">
      <UserDetail key={userId} userId={userId} companyRoles={companyRoles} notice={notice} />
    </div>
  );
}
