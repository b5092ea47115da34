import { useQuery } from '@tanstack/react-query';

import {
  getActionReport,
  getEngineReport,
  getEngineSla,
  getTicketReport,
  getTicketSla,
} from '@/features/reports/api/reports';
import type { DateRangeQuery } from '@/features/reports/types/reports';

export const useTicketReport = (range: DateRangeQuery) =>
  useQuery({
    queryKey: ['tickets', 'reports', range.from, range.to],
    queryFn: ({ signal }) => getTicketReport(range, signal),
  });

export const useEngineReport = (range: DateRangeQuery) =>
  useQuery({
    queryKey: ['engine', 'metrics', 'report', range.from, range.to],
    queryFn: ({ signal }) => getEngineReport(range, signal),
  });

export const useTicketSla = (range: DateRangeQuery) =>
  useQuery({
    queryKey: ['tickets', 'reports', 'sla', range.from, range.to],
    queryFn: ({ signal }) => getTicketSla(range, signal),
  });

export const useEngineSla = (range: DateRangeQuery) =>
  useQuery({
    queryKey: ['engine', 'metrics', 'sla', range.from, range.to],
    queryFn: ({ signal }) => getEngineSla(range, signal),
  });

/** Action failures are for admins only; others send no request. */
export const useActionReport = (range: DateRangeQuery, allowed: boolean) =>
  useQuery({
    queryKey: ['actions', 'reports', range.from, range.to],
    queryFn: ({ signal }) => getActionReport(range, signal),
    enabled: allowed,
  });
