import type {
  Attachment,
  OutcomeCount,
  SubmittableTicketType,
  TeamTicketsQuery,
  Ticket,
  TicketDetail,
  TicketSubmission,
} from '@/features/tickets/types/tickets';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

export function listSubmittableTypes(signal?: AbortSignal): Promise<SubmittableTicketType[]> {
  return apiClient.get<SubmittableTicketType[]>('/tickets/ticket-types', { signal });
}

/**
 * `idempotencyKey` names this submission: sending it again with the same key (after a lost
 * answer) returns the ticket the first one created instead of a second ticket.
 */
export function submitTicket(submission: TicketSubmission, idempotencyKey: string): Promise<TicketDetail> {
  return apiClient.post<TicketDetail>('/tickets/tickets', submission, {
    headers: { 'Idempotency-Key': idempotencyKey },
  });
}

/** How long a read of a ticket the page holds waits on the server for it to change, in seconds. */
export const TICKET_WATCH_SECONDS = 20;

/**
 * The ticket's detail and its ETag. With the ETag of the copy held (`etag`), the server answers
 * as soon as the ticket changes, or after `TICKET_WATCH_SECONDS` that the copy is still current
 * (304, null here); without one, at once.
 */
export async function watchTicket(
  ticketId: string,
  etag: string | null,
  signal?: AbortSignal,
): Promise<{ ticket: TicketDetail; etag: string | null } | null> {
  const response = await apiClient.get<Response>(`/tickets/tickets/${encodeURIComponent(ticketId)}`, {
    headers: etag ? { 'If-None-Match': etag, Prefer: `wait=${TICKET_WATCH_SECONDS}` } : {},
    responseType: 'response',
    signal,
  });
  if (response.status === 304) return null;
  return { ticket: (await response.json()) as TicketDetail, etag: response.headers.get('ETag') };
}

export function listMyTickets(
  query: { page: number; page_size: number; outcome?: string },
  signal?: AbortSignal,
): Promise<Page<Ticket>> {
  return apiClient.get<Page<Ticket>>('/tickets/tickets/mine', { query, signal });
}

/** The outcomes the caller's tickets ended with (every ticket's, for the ticket team). */
export function listOutcomes(signal?: AbortSignal): Promise<OutcomeCount[]> {
  return apiClient.get<OutcomeCount[]>('/tickets/tickets/outcomes', { signal });
}

export function searchTickets(query: TeamTicketsQuery, signal?: AbortSignal): Promise<Page<Ticket>> {
  return apiClient.get<Page<Ticket>>('/tickets/tickets', { query, signal });
}

export function uploadAttachment(ticketId: string, file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file);
  return apiClient.request<Attachment>(`/tickets/tickets/${encodeURIComponent(ticketId)}/attachments`, {
    method: 'POST',
    rawBody: form,
  });
}

export function downloadAttachment(ticketId: string, attachmentId: string): Promise<Blob> {
  return apiClient.get<Blob>(
    `/tickets/tickets/${encodeURIComponent(ticketId)}/attachments/${encodeURIComponent(attachmentId)}`,
    { responseType: 'blob' },
  );
}
