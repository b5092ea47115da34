// Shapes of the engine's workflow instance API (services/engine: workflows module).

export type CurrentTask = {
  id: string;
  task_key: string;
  name: string;
  task_type: string;
  status: string;
  assignee_id: string | null;
};

export type Incident = {
  kind?: string;
  task_instance_id?: string;
  task_key?: string;
  message?: string;
  raised_at?: string;
};

export type WorkflowInstance = {
  id: string;
  ticket_id: string;
  ticket_number: string;
  ticket_title: string;
  ticket_definition_key: string;
  workflow_key: string;
  workflow_version: number;
  status: string;
  incident: Incident | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
  current_task: CurrentTask | null;
};

export type PathStep = {
  task_instance_id: string;
  task_key: string;
  name: string;
  task_type: string;
  status: string;
  sequence: number;
};

export type Decision = {
  from_task_instance_id: string;
  from_task_key: string;
  to_task_key: string | null;
  outcome: string;
  reason: string;
  tried: Array<Record<string, unknown>>;
  created_at: string;
};

export type WorkflowInstanceDetail = WorkflowInstance & {
  workflow_data: Record<string, unknown>;
  path: PathStep[];
  transitions_taken: Decision[];
  decisions: Decision[];
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

export type InstanceAction = 'hold' | 'resume' | 'cancel' | 'retry';

/** Which actions a workflow in `status` offers. */
export function actionsFor(status: string): InstanceAction[] {
  switch (status) {
    case 'RUNNING':
      return ['hold', 'cancel'];
    case 'ON_HOLD':
      return ['resume', 'cancel'];
    case 'INCIDENT':
      return ['retry', 'cancel'];
    default:
      return [];
  }
}
