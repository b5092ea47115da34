import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { MyTickets } from '@/features/tickets/components/my-tickets';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function MyTicketsRoute() {
  useDocumentTitle('My tickets');
  return (
    <>
      <PageHeader
        title="My tickets"
        description="The tickets you have submitted and where they stand."
        actions={
          <Link to={paths.submitTicket} className={buttonClassName()}>
            Submit ticket
          </Link>
        }
      />
      <MyTickets />
    </>
  );
}
