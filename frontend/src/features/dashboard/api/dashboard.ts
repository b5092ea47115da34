import type {
  Company,
  EngineOverview,
  MyOpenTickets,
  MyPerformance,
  MyTask,
  TicketOverview,
} from '@/features/dashboard/types/dashboard';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

export const getCompany = (signal?: AbortSignal) => apiClient.get<Company>('/identity/company', { signal });

export const getMyOpenTickets = (signal?: AbortSignal) =>
  apiClient.get<MyOpenTickets>('/tickets/reports/mine', { signal });

export const getTicketOverview = (signal?: AbortSignal) =>
  apiClient.get<TicketOverview>('/tickets/reports/overview', { signal });

export const getEngineOverview = (signal?: AbortSignal) =>
  apiClient.get<EngineOverview>('/engine/metrics/overview', { signal });

export const getMyPerformance = (signal?: AbortSignal) =>
  apiClient.get<MyPerformance>('/engine/metrics/me', { signal });

/** The caller's open FORM tasks through the task list (`GET /engine/tasks/mine`). */
export const getMyOpenTasks = (
  query: { view: 'active'; page: number; page_size: number; sort?: 'due_at'; overdue?: boolean },
  signal?: AbortSignal,
) => apiClient.get<Page<MyTask>>('/engine/tasks/mine', { query, signal });
