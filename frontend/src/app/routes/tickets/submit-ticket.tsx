import { useNavigate } from 'react-router';

import { PageHeader } from '@/components/ui/page-header';
import { ticketHref } from '@/config/paths';
import { SubmitTicket } from '@/features/tickets/components/submit-ticket';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function SubmitTicketRoute() {
  useDocumentTitle('Submit ticket');
  const navigate = useNavigate();
  return (
    <>
      <PageHeader title="Submit ticket" description="Raise a new request with your company." />
      <SubmitTicket onSubmitted={(ticket) => navigate(ticketHref(ticket.id))} />
    </>
  );
}
