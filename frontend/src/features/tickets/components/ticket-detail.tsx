import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, type ReactNode } from 'react';

import { LayoutView } from '@/components/custom-layout/custom-layout';
import { Card } from '@/components/ui/card';
import { DetailsList } from '@/components/ui/details-list';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { StatusBadge } from '@/components/ui/status-badge';
import { Timestamp } from '@/components/ui/timestamp';
import { watchTicket } from '@/features/tickets/api/tickets';
import { AttachmentsPanel } from '@/features/tickets/components/attachments-panel';
import { OutcomeBadge, OutcomePanel } from '@/components/ui/outcome-badge';
import { TicketTimeline } from '@/features/tickets/components/ticket-timeline';
import { FINISHED_STATUSES, type TicketDetail } from '@/features/tickets/types/tickets';
import { submitterLabel } from '@/features/tickets/utils/people';
import { useDocumentTitle } from '@/hooks/use-document-title';

/**
 * How soon an open ticket is read again after the last read answered. Each read after the
 * first waits on the server until the ticket changes (`watchTicket`), so the page follows the
 * workflow as it moves, without polling.
 */
export const TICKET_WATCH_GAP_MS = 250;

type TicketDetailViewProps = {
  ticketId: string;
  /** More about the ticket for the ticket team (its workflow), composed by the app. */
  aside?: ReactNode;
};

export function TicketDetailView({ ticketId, aside }: TicketDetailViewProps) {
  const queryClient = useQueryClient();
  // The ETag of the copy in the query cache, for the ticket it belongs to.
  const held = useRef<{ ticketId: string; etag: string | null } | null>(null);
  const ticket = useQuery({
    queryKey: ['tickets', 'tickets', ticketId],
    queryFn: async ({ signal }) => {
      const cached = queryClient.getQueryData<TicketDetail>(['tickets', 'tickets', ticketId]);
      const etag = cached && held.current?.ticketId === ticketId ? held.current.etag : null;
      const answer = await watchTicket(ticketId, etag, signal);
      if (answer === null && cached) return cached;
      if (answer === null) throw new Error('The ticket could not be read.');
      held.current = { ticketId, etag: answer.etag };
      return answer.ticket;
    },
    // An open ticket is watched while it is shown; a finished one no longer changes.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status && !FINISHED_STATUSES.includes(status) ? TICKET_WATCH_GAP_MS : false;
    },
  });
  useDocumentTitle(ticket.data ? `${ticket.data.number} ${ticket.data.title}` : 'Ticket');

  return (
    <ResourceGate resource={ticket} loadingLabel="Loading the ticket…" thing="ticket">
      {(data) => (
        <>
          <PageHeader
            title={`${data.number} · ${data.title}`}
            description={
              <span className="flex flex-wrap items-center gap-2">
                <span data-testid="ticket-status" aria-live="polite">
                  <StatusBadge status={data.status} muted={Boolean(data.outcome)} />
                </span>
                {data.outcome && <OutcomeBadge outcome={data.outcome} />}
                <span>{data.ticket_type_name ?? data.ticket_type_key}</span>
                {data.current_task_name && <span>· now: {data.current_task_name}</span>}
              </span>
            }
          />
          <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
            <div className="flex min-w-0 flex-col gap-6">
              {data.outcome && <OutcomePanel outcome={data.outcome} />}
              <Card title="Request">
                <LayoutView
                  title={`${data.number} request`}
                  data={data.ticket_data}
                  layout={data.display_layout}
                  context={{ number: data.number, title: data.title, status: data.status }}
                />
              </Card>
              <Card title="Timeline" description="What the workflow has done with the ticket.">
                <TicketTimeline entries={data.timeline} outcome={data.outcome} />
              </Card>
            </div>
            <div className="flex min-w-0 flex-col gap-6">
              <Card title="Details">
                <DetailsList
                  items={[
                    ['Submitted by', <span data-testid="ticket-submitter">{submitterLabel(data)}</span>],
                    ['Created', <Timestamp value={data.created_at} />],
                    ['Updated', <Timestamp value={data.updated_at} />],
                    ['Closed', <Timestamp value={data.closed_at} />],
                    ['Type version', String(data.ticket_type_version)],
                  ]}
                />
              </Card>
              <Card title="Attachments">
                <AttachmentsPanel
                  ticketId={data.id}
                  attachments={data.attachments}
                  onUploaded={() => void ticket.refetch()}
                />
              </Card>
              {aside}
            </div>
          </div>
        </>
      )}
    </ResourceGate>
  );
}
