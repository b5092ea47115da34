// Shapes of the engine's workflow instance API (services/engine: workflows module).

import type { Schema } from '@/types/api';

export type CurrentTask = Schema<'CurrentTaskRead'>;

/** What the engine keeps of an incident (a free-form object in the document). */
export type Incident = {
  kind?: string;
  task_instance_id?: string;
  task_key?: string;
  message?: string;
  raised_at?: string;
};

type WithIncident<T> = Omit<T, 'incident'> & { incident: Incident | null };

export type WorkflowInstance = WithIncident<Schema<'WorkflowInstanceRead'>>;

export type PathStep = Schema<'PathStepRead'>;

export type Decision = Schema<'DecisionRead'>;

export type WorkflowInstanceDetail = WithIncident<Schema<'WorkflowInstanceDetailRead'>>;

export type HistoryEntry = Schema<'HistoryEntryRead'>;

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
