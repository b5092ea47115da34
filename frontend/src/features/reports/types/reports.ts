// Shapes of the report endpoints of the tickets, engine and actions services.

export type DateRangeQuery = { from: string; to: string };

export type TicketReport = {
  from: string;
  to: string;
  per_day: Array<{ day: string; ticket_type_key: string; created: number; closed: number }>;
  resolution: Array<{
    ticket_type_key: string;
    ticket_type_name: string;
    resolved: number;
    p50_seconds: number;
    p90_seconds: number;
  }>;
};

export type EngineReport = {
  from: string;
  to: string;
  time_per_task_definition: Array<{
    task_key: string;
    name: string;
    task_type: string;
    completed: number;
    total_seconds: number;
    mean_seconds: number;
    p50_seconds: number;
    p90_seconds: number;
  }>;
  worker_throughput: Array<{ user_id: string; display_name: string; completed: number; median_seconds: number }>;
};

export type ActionReport = {
  from: string;
  to: string;
  hosts: Array<{
    host: string;
    finished: number;
    failed: number;
    failure_rate: number;
    http_calls: number;
    last_failure_at: string | null;
    last_error: string | null;
  }>;
};
