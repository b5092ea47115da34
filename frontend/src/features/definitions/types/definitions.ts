// Shapes of the definitions service (services/definitions: bundles, workflows, ticket_types).

/** A bundle problem; `line`/`column` locate it inside a custom layout's source. */
export type Problem = { loc: string[]; path: string; msg: string; type: string; line?: number; column?: number };

export type ValidationReport = { valid: boolean; errors: Problem[]; warnings: Problem[] };

export type PublishedVersion = { key: string; version: number; created: boolean };

export type PublishResult = { workflow: PublishedVersion; ticket_types: PublishedVersion[]; warnings: Problem[] };

export type WorkflowSummary = {
  id: string;
  key: string;
  name: string;
  description: string;
  latest_version: number;
  archived: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
};

export type VersionSummary = {
  id: string;
  version: number;
  name: string;
  created_at: string;
  created_by: string | null;
};

export type TaskDefinition = {
  id: string;
  position: number;
  key: string;
  name: string;
  description: string;
  task_type: string;
  input_schema: Record<string, unknown>;
  output_schema: Record<string, unknown>;
  action_url: string | null;
  timeout_seconds: number | null;
  max_retries: number | null;
  input_transform: string | null;
  output_transform: string | null;
};

export type TransitionDefinition = {
  id: string;
  position: number;
  from: string;
  to: string;
  condition: string | null;
  priority: number;
};

export type WorkflowVersion = VersionSummary & {
  key: string;
  description: string;
  start_task: string;
  tasks: TaskDefinition[];
  transitions: TransitionDefinition[];
};

export type WorkflowDetail = WorkflowSummary & { current: WorkflowVersion; versions: VersionSummary[] };

export type TaskSummary = {
  id: string;
  key: string;
  name: string;
  description: string;
  task_type: string;
  workflow_key: string;
  workflow_version: number;
  workflow_name: string;
};

export type TicketTypeSummary = {
  id: string;
  key: string;
  name: string;
  description: string;
  prefix: string;
  workflow_key: string;
  workflow_version: number | null;
  company_role_access: string[];
  latest_version: number;
  archived: boolean;
  archived_at: string | null;
  created_at: string;
  updated_at: string;
};

export type TicketTypeVersion = {
  id: string;
  version: number;
  key: string;
  name: string;
  description: string;
  prefix: string;
  fields: Record<string, unknown>;
  company_role_access: string[];
  workflow_key: string;
  workflow_version: number | null;
  created_at: string;
  created_by: string | null;
};

export type TicketTypeVersionSummary = VersionSummary & { workflow_key: string; workflow_version: number | null };

export type TicketTypeDetail = TicketTypeSummary & {
  current: TicketTypeVersion;
  versions: TicketTypeVersionSummary[];
};

export type DryRunRequest = {
  bundle?: unknown;
  workflow_key?: string;
  version?: number;
  ticket_data: Record<string, unknown>;
  task_outputs: Record<string, Record<string, unknown>>;
};

export type DryRunCondition = {
  to: string;
  condition: string | null;
  priority: number;
  value: unknown;
  holds: boolean;
  error: string | null;
};

export type DryRunStep = {
  task_key: string;
  task_name: string;
  task_type: string;
  output_applied: boolean;
  conditions: DryRunCondition[];
  next_task: string | null;
};

export type DryRunResult = {
  workflow_key: string;
  version: number | null;
  outcome: string;
  detail: string;
  path: string[];
  steps: DryRunStep[];
  workflow_data: Record<string, unknown>;
  warnings: Problem[];
};
