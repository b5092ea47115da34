import { Link } from 'react-router';

import { StatusPage } from '@/components/errors/status-page';
import { buttonClassName } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function Forbidden() {
  useDocumentTitle('Access denied');
  return (
    <StatusPage
      code="403"
      title="You don't have access to this page"
      actions={
        <Link to={paths.dashboard} className={buttonClassName()}>
          Back to dashboard
        </Link>
      }
    >
      <p>Your roles do not include this part of TicketFlower. Ask an administrator of your company if you need it.</p>
    </StatusPage>
  );
}
