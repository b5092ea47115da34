// Shapes of the tickets service (services/tickets: ticket, ticket_type, attachment modules).

export const TICKET_STATUSES = ['SUBMITTED', 'IN_PROGRESS', 'ON_HOLD', 'ERROR', 'COMPLETED', 'CANCELLED'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** Tickets in these statuses are done: nothing will change them any more. */
export const FINISHED_STATUSES: readonly string[] = ['COMPLETED', 'CANCELLED'];

/** Declarative sections, or React component source run in a sandboxed frame (components/custom-layout). */
export type Layout =
  { sections?: Array<{ title?: string; fields?: string[] }> } | { source: string; language?: 'tsx' | 'jsx' } | null;

export type SubmittableTicketType = {
  key: string;
  version: number;
  name: string;
  description: string;
  prefix: string;
  fields: Record<string, unknown>;
  edit_layout: Layout;
  display_layout: Layout;
};

export type Ticket = {
  id: string;
  number: string;
  title: string;
  ticket_type_key: string;
  ticket_type_version: number;
  ticket_type_name: string | null;
  status: string;
  current_task_name: string | null;
  submitted_by: string | null;
  submitted_by_email: string | null;
  source: string;
  created_at: string;
  updated_at: string;
  status_changed_at: string;
  closed_at: string | null;
};

export type TimelineEntry = {
  id: string;
  event_type: string;
  status: string;
  workflow_status: string;
  task_key: string | null;
  task_name: string | null;
  task_status: string | null;
  assignee_id: string | null;
  detail: string;
  occurred_at: string;
};

export type Attachment = {
  id: string;
  ticket_id: string;
  task_instance_id: string | null;
  filename: string;
  version: number;
  content_type: string;
  size_bytes: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: string;
};

export type TicketDetail = Ticket & {
  ticket_data: Record<string, unknown>;
  display_layout: Layout;
  timeline: TimelineEntry[];
  attachments: Attachment[];
};

export type TicketSubmission = {
  ticket_type_key: string;
  title: string;
  ticket_data: Record<string, unknown>;
};

export const TICKET_SORTS = [
  { value: '-created_at', label: 'Newest first' },
  { value: 'created_at', label: 'Oldest first' },
  { value: '-updated_at', label: 'Recently updated' },
  { value: 'number', label: 'Number' },
  { value: 'title', label: 'Title (A–Z)' },
  { value: 'status', label: 'Status' },
  { value: 'relevance', label: 'Relevance (with a search)' },
] as const;

export type TeamTicketsQuery = {
  view: 'active' | 'archive';
  q?: string;
  type?: string;
  status?: string;
  from?: string;
  to?: string;
  sort: string;
  page: number;
  page_size: number;
};
