import type {
  Company,
  EngineOverview,
  MyOpenTickets,
  MyPerformance,
  TicketOverview,
} from '@/features/dashboard/types/dashboard';
import { apiClient } from '@/lib/api-client';

export const getCompany = (signal?: AbortSignal) => apiClient.get<Company>('/identity/company', { signal });

export const getMyOpenTickets = (signal?: AbortSignal) =>
  apiClient.get<MyOpenTickets>('/tickets/reports/mine', { signal });

export const getTicketOverview = (signal?: AbortSignal) =>
  apiClient.get<TicketOverview>('/tickets/reports/overview', { signal });

export const getEngineOverview = (signal?: AbortSignal) =>
  apiClient.get<EngineOverview>('/engine/metrics/overview', { signal });

export const getMyPerformance = (signal?: AbortSignal) =>
  apiClient.get<MyPerformance>('/engine/metrics/me', { signal });
