import type { TaskDetail, Task, TasksQuery, Worker } from '@/features/tasks/types/tasks';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

const task = (taskId: string) => `/engine/tasks/${encodeURIComponent(taskId)}`;

export function listMyTasks(
  query: { view: 'active' | 'archive'; q?: string; page: number; page_size: number; sort?: string },
  signal?: AbortSignal,
): Promise<Page<Task>> {
  return apiClient.get<Page<Task>>('/engine/tasks/mine', { query, signal });
}

export function listTasks(query: TasksQuery, signal?: AbortSignal): Promise<Page<Task>> {
  return apiClient.get<Page<Task>>('/engine/tasks', { query, signal });
}

export function getTask(taskId: string, signal?: AbortSignal): Promise<TaskDetail> {
  return apiClient.get<TaskDetail>(task(taskId), { signal });
}

export function startTask(taskId: string): Promise<TaskDetail> {
  return apiClient.post<TaskDetail>(`${task(taskId)}/start`);
}

export function completeTask(
  taskId: string,
  output: Record<string, unknown>,
  expectedVersion: number,
): Promise<TaskDetail> {
  return apiClient.post<TaskDetail>(`${task(taskId)}/complete`, { output, expected_version: expectedVersion });
}

export function reassignTask(
  taskId: string,
  assigneeId: string,
  expectedVersion: number,
  note = '',
): Promise<TaskDetail> {
  return apiClient.post<TaskDetail>(`${task(taskId)}/reassign`, {
    assignee_id: assigneeId,
    expected_version: expectedVersion,
    note: note.trim() || null,
  });
}

export function getMyWorker(signal?: AbortSignal): Promise<Worker> {
  return apiClient.get<Worker>('/engine/workers/me', { signal });
}

export function setAvailability(available: boolean): Promise<Worker> {
  return apiClient.post<Worker>('/engine/workers/me/availability', { available });
}

export function listWorkers(signal?: AbortSignal): Promise<Worker[]> {
  return apiClient.get<Worker[]>('/engine/workers', { signal });
}
