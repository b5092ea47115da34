import { getActionReport, getEngineReport, getTicketReport } from '@/features/reports/api/reports';
import type { DateRangeQuery } from '@/features/reports/types/reports';
import { useResource } from '@/hooks/use-resource';

// One hook per report, so the page's fetching can move to a query library in one place.

export const useTicketReport = (range: DateRangeQuery) =>
  useResource((signal) => getTicketReport(range, signal), [range.from, range.to]);

export const useEngineReport = (range: DateRangeQuery) =>
  useResource((signal) => getEngineReport(range, signal), [range.from, range.to]);

/** Action failures are for admins only; others get no request. */
export const useActionReport = (range: DateRangeQuery, allowed: boolean) =>
  useResource(
    (signal) => (allowed ? getActionReport(range, signal) : Promise.resolve(null)),
    [range.from, range.to, allowed],
  );
