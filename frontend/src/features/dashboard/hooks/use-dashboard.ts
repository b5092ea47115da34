import {
  getCompany,
  getEngineOverview,
  getMyOpenTickets,
  getMyPerformance,
  getTicketOverview,
} from '@/features/dashboard/api/dashboard';
import { useResource } from '@/hooks/use-resource';

// One hook per figure the dashboard shows, so its fetching can move to a query library in one place.

export const useCompany = () => useResource((signal) => getCompany(signal), []);
export const useMyOpenTickets = () => useResource((signal) => getMyOpenTickets(signal), []);
export const useTicketOverview = () => useResource((signal) => getTicketOverview(signal), []);
export const useEngineOverview = () => useResource((signal) => getEngineOverview(signal), []);
export const useMyPerformance = () => useResource((signal) => getMyPerformance(signal), []);
