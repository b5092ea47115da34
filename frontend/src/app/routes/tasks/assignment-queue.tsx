import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { AssignmentQueueView } from '@/features/assignment/components/assignment-queue';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';
import { ACCESS, canAccess } from '@/lib/authorization';

export function AssignmentQueueRoute() {
  useDocumentTitle('Assign tasks');
  const user = useCurrentUser();
  return (
    <>
      <PageHeader
        title="Assign tasks"
        description="Form tasks waiting for a worker or queued with one; give any of them to a worker by hand."
        actions={
          canAccess(user, ACCESS.admin) && (
            <Link to={paths.adminAssignment} className={buttonClassName({ variant: 'secondary' })}>
              Assignment rules
            </Link>
          )
        }
      />
      <AssignmentQueueView />
    </>
  );
}
