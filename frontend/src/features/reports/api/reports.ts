import type {
  ActionReport,
  DateRangeQuery,
  EngineReport,
  EngineSla,
  TicketReport,
  TicketSla,
} from '@/features/reports/types/reports';
import { apiClient } from '@/lib/api-client';

export const getTicketReport = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<TicketReport>('/tickets/reports', { query: range, signal });

export const getEngineReport = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<EngineReport>('/engine/metrics/report', { query: range, signal });

export const getActionReport = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<ActionReport>('/actions/reports', { query: range, signal });

export const getTicketSla = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<TicketSla>('/tickets/reports/sla', { query: range, signal });

export const getEngineSla = (range: DateRangeQuery, signal?: AbortSignal) =>
  apiClient.get<EngineSla>('/engine/metrics/sla', { query: range, signal });
