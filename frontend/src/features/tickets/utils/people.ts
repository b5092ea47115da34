import type { Ticket } from '@/features/tickets/types/tickets';

/** Who submitted a ticket, as people read it: their name, else the address an external
 * system gave, else what kind of sender it was. Never a bare id. */
export function submitterLabel(
  ticket: Pick<Ticket, 'submitted_by' | 'submitted_by_name' | 'submitted_by_email' | 'source'>,
): string {
  if (ticket.submitted_by_name) return ticket.submitted_by_name;
  if (ticket.submitted_by_email) return ticket.submitted_by_email;
  if (ticket.submitted_by) return 'A user of your company';
  return ticket.source === 'inbound' ? 'An external system' : 'Unknown';
}
