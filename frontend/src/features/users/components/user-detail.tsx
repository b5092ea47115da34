import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { DeactivateUser } from '@/features/users/components/deactivate-user';
import { EditUserForm } from '@/features/users/components/edit-user-form';
import { UserRolesForm } from '@/features/users/components/user-roles-form';
import { useUser } from '@/features/users/hooks/use-users';
import type { CompanyRoleOptions } from '@/features/users/types/users';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useAuth, useCurrentUser } from '@/lib/auth';
import { queryErrorMessage } from '@/lib/query';
import type { User } from '@/types/api';

type UserDetailProps = {
  userId: string;
  companyRoles: CompanyRoleOptions;
  notice?: string;
};

export function UserDetail({ userId, companyRoles, notice }: UserDetailProps) {
  const query = useUser(userId);
  const currentUser = useCurrentUser();
  const { updateUser: updateSignedInUser } = useAuth();
  // One banner at a time: each success replaces the one before it (the creation notice too).
  const [banner, setBanner] = useState<string | null>(notice ?? null);
  const user = query.data;
  useDocumentTitle(user ? `${user.first_name} ${user.last_name}` : 'User');

  if (query.isError) {
    return (
      <>
        <PageHeader title="User" />
        <ErrorState
          title="Could not load this user"
          message={queryErrorMessage(query.error) ?? ''}
          onRetry={() => void query.refetch()}
        />
      </>
    );
  }
  if (!user) return <LoadingState label="Loading user…" />;

  // The saves put what they answered into the query cache, which this page shows.
  const onSaved = (message: string) => (updated: User) => {
    setBanner(message);
    // An admin editing their own account sees the change in the header and dashboard too.
    if (updated.id === currentUser.id) updateSignedInUser(updated);
  };

  return (
    <>
      <PageHeader
        title={`${user.first_name} ${user.last_name}`}
        description={user.is_active ? user.email : `${user.email} · deactivated`}
      />
      <div className="flex flex-col gap-6">
        {banner && <Alert tone="success">{banner}</Alert>}
        <Card title="Details">
          <EditUserForm user={user} onSaved={onSaved('The details have been saved.')} />
        </Card>
        <Card title="Roles">
          <UserRolesForm user={user} companyRoles={companyRoles} onSaved={onSaved('The roles have been saved.')} />
        </Card>
        <Card title="Access">
          <DeactivateUser
            user={user}
            isCurrentUser={user.id === currentUser.id}
            onDeactivated={onSaved(`${user.first_name} ${user.last_name} has been deactivated.`)}
          />
        </Card>
      </div>
    </>
  );
}
