import type { WorkflowGraphData } from '@/components/workflow-graph/graph-layout';
import type {
  DryRunRequest,
  DryRunResult,
  PublishResult,
  TaskSummary,
  TicketTypeDetail,
  TicketTypeDiff,
  TicketTypeSummary,
  TicketTypeVersion,
  ValidationReport,
  WorkflowDetail,
  WorkflowDiff,
  WorkflowSummary,
  WorkflowVersion,
} from '@/features/definitions/types/definitions';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

const key = (value: string) => encodeURIComponent(value);

export type ListQuery = { q?: string; page: number; page_size: number; archived?: boolean };

export function listWorkflows(query: ListQuery, signal?: AbortSignal): Promise<Page<WorkflowSummary>> {
  return apiClient.get<Page<WorkflowSummary>>('/definitions/workflows', { query, signal });
}

export function listTaskDefinitions(query: ListQuery, signal?: AbortSignal): Promise<Page<TaskSummary>> {
  return apiClient.get<Page<TaskSummary>>('/definitions/tasks', { query: { ...query, archived: undefined }, signal });
}

export function listTicketTypes(query: ListQuery, signal?: AbortSignal): Promise<Page<TicketTypeSummary>> {
  return apiClient.get<Page<TicketTypeSummary>>('/definitions/ticket-types', { query, signal });
}

export function getWorkflow(workflowKey: string, signal?: AbortSignal): Promise<WorkflowDetail> {
  return apiClient.get<WorkflowDetail>(`/definitions/workflows/${key(workflowKey)}`, { signal });
}

export function getWorkflowVersion(
  workflowKey: string,
  version: number,
  signal?: AbortSignal,
): Promise<WorkflowVersion> {
  return apiClient.get<WorkflowVersion>(`/definitions/workflows/${key(workflowKey)}/versions/${version}`, { signal });
}

export function getWorkflowGraph(
  workflowKey: string,
  version: number,
  signal?: AbortSignal,
): Promise<WorkflowGraphData> {
  return apiClient.get<WorkflowGraphData>(`/definitions/workflows/${key(workflowKey)}/graph`, {
    query: { version },
    signal,
  });
}

export function exportWorkflow(workflowKey: string, format: 'yaml' | 'json', version?: number): Promise<string> {
  return apiClient.get<string>(`/definitions/workflows/${key(workflowKey)}/export`, {
    query: { format, version },
    responseType: 'text',
  });
}

export function archiveWorkflow(workflowKey: string): Promise<WorkflowSummary> {
  return apiClient.post<WorkflowSummary>(`/definitions/workflows/${key(workflowKey)}/archive`);
}

export function getTicketType(typeKey: string, signal?: AbortSignal): Promise<TicketTypeDetail> {
  return apiClient.get<TicketTypeDetail>(`/definitions/ticket-types/${key(typeKey)}`, { signal });
}

export function getTicketTypeVersion(
  typeKey: string,
  version: number,
  signal?: AbortSignal,
): Promise<TicketTypeVersion> {
  return apiClient.get<TicketTypeVersion>(`/definitions/ticket-types/${key(typeKey)}/versions/${version}`, { signal });
}

export function archiveTicketType(typeKey: string): Promise<TicketTypeSummary> {
  return apiClient.post<TicketTypeSummary>(`/definitions/ticket-types/${key(typeKey)}/archive`);
}

/** JSON when the text is a JSON document, YAML otherwise; the service reads both. */
export function bundleMediaType(text: string): string {
  return text.trimStart().startsWith('{') ? 'application/json' : 'application/yaml';
}

export function validateBundle(text: string): Promise<ValidationReport> {
  return apiClient.request<ValidationReport>('/definitions/bundles/validate', {
    method: 'POST',
    rawBody: text,
    headers: { 'Content-Type': bundleMediaType(text) },
  });
}

export function publishBundle(text: string): Promise<PublishResult> {
  return apiClient.request<PublishResult>('/definitions/bundles', {
    method: 'POST',
    rawBody: text,
    headers: { 'Content-Type': bundleMediaType(text) },
  });
}

export function dryRun(request: DryRunRequest): Promise<DryRunResult> {
  return apiClient.post<DryRunResult>('/definitions/dry-run', request);
}

export function diffWorkflowVersions(
  workflowKey: string,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<WorkflowDiff> {
  return apiClient.get<WorkflowDiff>(`/definitions/workflows/${key(workflowKey)}/diff`, {
    query: { from, to },
    signal,
  });
}

export function diffTicketTypeVersions(
  typeKey: string,
  from: number,
  to: number,
  signal?: AbortSignal,
): Promise<TicketTypeDiff> {
  return apiClient.get<TicketTypeDiff>(`/definitions/ticket-types/${key(typeKey)}/diff`, {
    query: { from, to },
    signal,
  });
}
