import type {
  AssignmentRule,
  AssignmentRules,
  CompanyRoleOption,
  CompanyRule,
  Group,
  RosterWorker,
  TaskRule,
  WaitingState,
  WaitingTask,
} from '@/features/assignment/types/assignment';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

const segment = encodeURIComponent;
const taskRule = (workflowKey: string, taskKey: string) =>
  `/engine/assignment/rules/tasks/${segment(workflowKey)}/${segment(taskKey)}`;
const group = (groupId: string) => `/engine/assignment/groups/${segment(groupId)}`;

export const getRules = (signal?: AbortSignal) =>
  apiClient.get<AssignmentRules>('/engine/assignment/rules', { signal });
export const putCompanyRule = (rule: AssignmentRule) =>
  apiClient.put<CompanyRule>('/engine/assignment/rules/company', rule);
export const putTaskRule = (workflowKey: string, taskKey: string, rule: AssignmentRule) =>
  apiClient.put<TaskRule>(taskRule(workflowKey, taskKey), rule);
export const deleteTaskRule = (workflowKey: string, taskKey: string) =>
  apiClient.delete<void>(taskRule(workflowKey, taskKey));

export const listGroups = (signal?: AbortSignal) => apiClient.get<Group[]>('/engine/assignment/groups', { signal });
export const createGroup = (body: { key: string; name: string; description: string; members: string[] }) =>
  apiClient.post<Group>('/engine/assignment/groups', body);
export const updateGroup = (groupId: string, body: { name?: string; description?: string; members?: string[] }) =>
  apiClient.patch<Group>(group(groupId), body);
export const deleteGroup = (groupId: string) => apiClient.delete<void>(group(groupId));

export const listWaitingTasks = (
  query: { state?: WaitingState; page: number; page_size: number },
  signal?: AbortSignal,
) => apiClient.get<Page<WaitingTask>>('/engine/assignment/queue', { query, signal });

export const listRoster = (signal?: AbortSignal) => apiClient.get<RosterWorker[]>('/engine/workers', { signal });

export const listCompanyRoles = (signal?: AbortSignal) =>
  apiClient.get<CompanyRoleOption[]>('/identity/company-roles', { signal });

/** Assigns a waiting task by hand; the task's record keeps who did it and the note. */
export const assignTask = (taskId: string, assigneeId: string, expectedVersion: number, note: string) =>
  apiClient.post<unknown>(`/engine/tasks/${segment(taskId)}/reassign`, {
    assignee_id: assigneeId,
    expected_version: expectedVersion,
    note: note.trim() || null,
  });
