import { PageHeader } from '@/components/ui/page-header';
import { TeamTickets } from '@/features/tickets/components/team-tickets';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function TeamTicketsRoute() {
  useDocumentTitle('Tickets');
  return (
    <>
      <PageHeader title="Tickets" description="Every ticket in your company and its workflow." />
      <TeamTickets />
    </>
  );
}
