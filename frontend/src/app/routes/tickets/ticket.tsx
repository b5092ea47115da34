import { useParams } from 'react-router';

import { Card } from '@/components/ui/card';
import { TicketDetailView } from '@/features/tickets/components/ticket-detail';
import { TicketWorkflowLink } from '@/features/workflow-instances/components/ticket-workflow-link';
import { useCurrentUser } from '@/lib/auth';
import { ACCESS, canAccess } from '@/lib/authorization';

export function TicketRoute() {
  const { ticketId = '' } = useParams();
  const user = useCurrentUser();
  const team = canAccess(user, ACCESS.tickets);
  return (
    <TicketDetailView
      key={ticketId}
      ticketId={ticketId}
      aside={
        team ? (
          <Card title="Workflow">
            <TicketWorkflowLink ticketId={ticketId} />
          </Card>
        ) : undefined
      }
    />
  );
}
