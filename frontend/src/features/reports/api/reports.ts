import type { ActionReport, DateRangeQuery, EngineReport, TicketReport } from '@/features/reports/types/reports';
import { apiClient } from '@/lib/api-client';

export const getTicketReport = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<TicketReport>('/tickets/reports', { query: range, signal });

export const getEngineReport = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<EngineReport>('/engine/metrics/report', { query: range, signal });

export const getActionReport = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<ActionReport>('/actions/reports', { query: range, signal });
