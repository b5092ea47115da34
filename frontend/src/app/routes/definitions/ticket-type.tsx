import { useParams } from 'react-router';

import { TicketTypeDetailView } from '@/features/definitions/components/ticket-type-detail';

export function TicketTypeRoute() {
  const { ticketTypeKey = '' } = useParams();
  return <TicketTypeDetailView key={ticketTypeKey} typeKey={ticketTypeKey} />;
}
