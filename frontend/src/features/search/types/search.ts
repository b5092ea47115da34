export type TicketHit = {
  id: string;
  number: string;
  title: string;
  status: string;
  ticket_type_name?: string;
  created_at: string;
};

export type TaskHit = {
  id: string;
  name: string;
  status: string;
  ticket_number: string;
  ticket_title: string;
  created_at: string;
};

export type Hits<T> = { items: T[]; total: number };
