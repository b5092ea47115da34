// Shapes of the tickets service (services/tickets: ticket, ticket_type, attachment modules).

import type { Schema } from '@/types/api';

export const TICKET_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'ON_HOLD', 'ERROR', 'COMPLETED', 'CANCELLED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Tickets in these statuses are done: nothing will change them any more. */
export const FINISHED_STATUSES: readonly string[] = ['COMPLETED', 'CANCELLED'];

/** Declarative sections, or React component source run in a sandboxed frame (components/custom-layout). */
export type Layout =
  { sections?: Array<{ title?: string; fields?: string[] }> } | { source: string; language?: 'tsx' | 'jsx' } | null;

type WithLayouts<T, Keys extends string> = Omit<T, Keys> & Record<Keys, Layout>;

export type SubmittableTicketType = WithLayouts<Schema<'tickets__TicketTypeRead'>, 'edit_layout' | 'display_layout'>;

export type Ticket = Schema<'TicketRead'>;

/** The resolution a finished workflow gave its ticket (approved, rejected, or the designer's own). */
export type TicketOutcome = Schema<'TicketOutcome'>;

/** An outcome the caller's tickets ended with, for the outcome filter. */
export type OutcomeCount = Schema<'OutcomeCount'>;

export type TimelineEntry = Schema<'TimelineEntryRead'>;

export type Attachment = Schema<'AttachmentRead'>;

/** An attachment as a ticket lists it, with who uploaded it. */
export type TicketAttachment = Schema<'TicketAttachment'>;

export type TicketDetail = WithLayouts<Schema<'TicketDetail'>, 'display_layout'>;

export type TicketSubmission = Schema<'TicketCreate'>;

export const TICKET_SORTS = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: 'number', label: 'Number' },
  { value: 'title', label: 'Title (A–Z)' },
  { value: 'status', label: 'Status' },
  { value: 'resolution_due_at', label: 'Resolution due (soonest)' },
  { value: 'relevance', label: 'Relevance (with a search)' },
] as const;

export type TeamTicketsQuery = {
  view: 'active' | 'archive';
  q?: string;
  type?: string;
  status?: string;
  outcome?: string;
  from?: string;
  to?: string;
  sort: string;
  page: number;
  page_size: number;
};
