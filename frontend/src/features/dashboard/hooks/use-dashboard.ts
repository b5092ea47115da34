import { useQuery } from '@tanstack/react-query';

import {
  getCompany,
  getEngineOverview,
  getMyOpenTickets,
  getMyPerformance,
  getTicketOverview,
} from '@/features/dashboard/api/dashboard';

export const useCompany = () =>
  useQuery({ queryKey: ['identity', 'company'], queryFn: ({ signal }) => getCompany(signal) });
export const useMyOpenTickets = () =>
  useQuery({ queryKey: ['tickets', 'reports', 'mine'], queryFn: ({ signal }) => getMyOpenTickets(signal) });
export const useTicketOverview = () =>
  useQuery({ queryKey: ['tickets', 'reports', 'overview'], queryFn: ({ signal }) => getTicketOverview(signal) });
export const useEngineOverview = () =>
  useQuery({ queryKey: ['engine', 'metrics', 'overview'], queryFn: ({ signal }) => getEngineOverview(signal) });
export const useMyPerformance = () =>
  useQuery({ queryKey: ['engine', 'metrics', 'me'], queryFn: ({ signal }) => getMyPerformance(signal) });
