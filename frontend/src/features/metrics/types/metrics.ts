// Shapes of the engine's and the actions service's metrics.

export type EngineMetrics = {
  open_tasks_per_worker: Array<{ user_id: string; display_name: string; open_tasks: number }>;
  tasks_completed_per_day: Array<{ day: string; completed: number }>;
  mean_time_per_task: Array<{
    task_key: string;
    name: string;
    task_type: string;
    mean_seconds: number;
    completed: number;
  }>;
  workflows_by_status: Record<string, number>;
};

export type ActionMetrics = {
  hosts: Array<{
    host: string;
    requests: number;
    calls: number;
    succeeded: number;
    awaiting_callback: number;
    failed: number;
    avg_latency_ms: number | null;
    p95_latency_ms: number | null;
  }>;
  lag: { group: string; topic: string; total: number | null };
};

export type TicketCreated = { created_at: string };
