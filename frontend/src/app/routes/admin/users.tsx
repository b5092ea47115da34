import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { UsersList } from '@/features/users/components/users-list';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function UsersRoute() {
  useDocumentTitle('Users');
  return (
    <>
      <PageHeader
        title="Users"
        description="Everyone in your company who can sign in to TicketFlower."
        actions={
          <Link to={paths.adminUserNew} className={buttonClassName()}>
            New user
          </Link>
        }
      />
      <UsersList />
    </>
  );
}
