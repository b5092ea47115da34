// Shapes of the engine's task and worker APIs (services/engine: tasks, workers modules).

export const TASK_STATUSES = [
  'PENDING',
  'ASSIGNED',
  'IN_PROGRESS',
  'ERROR',
  'COMPLETED',
  'SKIPPED',
  'CANCELLED',
] as const;
export const ACTIVE_TASK_STATUSES: readonly string[] = ['PENDING', 'ASSIGNED', 'IN_PROGRESS', 'ERROR'];
export const TASK_TYPES = ['FORM', 'SYNC_ACTION', 'ASYNC_ACTION'] as const;

/** Declarative sections, or React component source run in a sandboxed frame (components/custom-layout). */
export type Layout =
  { sections?: Array<{ title?: string; fields?: string[] }> } | { source: string; language?: 'tsx' | 'jsx' } | null;

export type Task = {
  id: string;
  workflow_instance_id: string;
  ticket_id: string;
  ticket_number: string;
  ticket_title: string;
  workflow_status: string;
  task_key: string;
  name: string;
  task_type: string;
  status: string;
  assignee_id: string | null;
  assigned_at: string | null;
  assignment: Record<string, unknown> | null;
  attempt: number;
  error: string | null;
  version: number;
  created_at: string;
  started_at: string | null;
  completed_at: string | null;
};

export type HistoryEntry = {
  id: string;
  task_instance_id: string | null;
  action: string;
  actor_kind: string;
  actor_id: string | null;
  detail: string;
  data_before: Record<string, unknown> | null;
  data_after: Record<string, unknown> | null;
  info: Record<string, unknown> | null;
  occurred_at: string;
};

export type TaskDetail = Task & {
  description: string;
  input_schema: Record<string, unknown>;
  output_schema: Record<string, unknown>;
  edit_layout: Layout;
  display_layout: Layout;
  data: Record<string, unknown>;
  output: Record<string, unknown> | null;
  history: HistoryEntry[];
};

export type Worker = {
  user_id: string;
  email: string;
  display_name: string;
  is_active: boolean;
  available: boolean;
  open_tasks: number;
  last_assigned_at: string | null;
};

export type TasksQuery = {
  view: 'active' | 'archive';
  status?: string;
  task_type?: string;
  task_key?: string;
  assignee_id?: string;
  page: number;
  page_size: number;
};
