// Shapes of the dashboard endpoints of identity, tickets and engine.

export type Company = { id: string; name: string };

export type WaitingTicket = {
  id: string;
  number: string;
  title: string;
  status: string;
  ticket_type_key: string;
  created_at: string;
  status_changed_at: string;
  waiting_on: string | null;
  task_status: string | null;
  assigned: boolean;
};

export type MyOpenTickets = { total: number; items: WaitingTicket[] };

export type TicketOverview = {
  total: number;
  by_status: Record<string, number>;
  week_start: string;
  created_this_week: number;
  closed_this_week: number;
};

export type EngineOverview = {
  workflows_by_status: Record<string, number>;
  incidents: number;
  recent_incidents: Array<{
    workflow_instance_id: string;
    ticket_id: string;
    ticket_number: string;
    ticket_title: string;
    reason: string;
    since: string;
  }>;
  unassigned: number;
  queue_by_worker: Array<{ user_id: string; display_name: string; open_tasks: number }>;
};

export type MyPerformance = {
  weeks: Array<{ week_start: string; mine: number; team_per_worker: number }>;
  my_median_seconds: number | null;
  team_median_seconds: number | null;
  open_total: number;
  oldest_open: Array<{
    id: string;
    name: string;
    status: string;
    ticket_number: string;
    ticket_title: string;
    created_at: string;
    assigned_at: string | null;
    age_seconds: number;
  }>;
};
