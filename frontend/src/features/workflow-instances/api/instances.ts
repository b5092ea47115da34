import type { WorkflowGraphData } from '@/components/workflow-graph/graph-layout';
import type {
  HistoryEntry,
  InstanceAction,
  WorkflowInstance,
  WorkflowInstanceDetail,
} from '@/features/workflow-instances/types/instances';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

const instance = (id: string) => `/engine/instances/${encodeURIComponent(id)}`;

export function getInstance(instanceId: string, signal?: AbortSignal): Promise<WorkflowInstanceDetail> {
  return apiClient.get<WorkflowInstanceDetail>(instance(instanceId), { signal });
}

export function findInstanceForTicket(ticketId: string, signal?: AbortSignal): Promise<WorkflowInstance | null> {
  return apiClient
    .get<Page<WorkflowInstance>>('/engine/instances', { query: { ticket_id: ticketId }, signal })
    .then((page) => page.items[0] ?? null);
}

export function getInstanceHistory(
  instanceId: string,
  page: number,
  signal?: AbortSignal,
): Promise<Page<HistoryEntry>> {
  return apiClient.get<Page<HistoryEntry>>(`${instance(instanceId)}/history`, {
    query: { page, page_size: 50 },
    signal,
  });
}

const ACTION_PATHS: Record<InstanceAction, string> = {
  hold: 'hold',
  resume: 'resume',
  cancel: 'cancel',
  retry: 'incident/retry',
};

export function runInstanceAction(instanceId: string, action: InstanceAction): Promise<WorkflowInstanceDetail> {
  return apiClient.post<WorkflowInstanceDetail>(`${instance(instanceId)}/${ACTION_PATHS[action]}`);
}

export function skipIncident(instanceId: string, output: Record<string, unknown>): Promise<WorkflowInstanceDetail> {
  return apiClient.post<WorkflowInstanceDetail>(`${instance(instanceId)}/incident/skip`, { output });
}

/** The output schema of the task behind an incident, so skipping can ask for its output. */
export function getTaskOutputSchema(taskId: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
  return apiClient
    .get<{ output_schema: Record<string, unknown> }>(`/engine/tasks/${encodeURIComponent(taskId)}`, { signal })
    .then((task) => task.output_schema);
}

/** The graph of a workflow version, with the workflow's own display layout. */
export function getWorkflowGraph(
  key: string,
  version: number,
  signal?: AbortSignal,
): Promise<WorkflowGraphData & { display_layout?: unknown }> {
  return apiClient.get<WorkflowGraphData & { display_layout?: unknown }>(
    `/definitions/workflows/${encodeURIComponent(key)}/graph`,
    {
      query: { version },
      signal,
    },
  );
}
