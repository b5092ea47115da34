import { getCompany } from '@/features/company/api/company';
import { useResource } from '@/hooks/use-resource';

/** The caller's company, its details and counts. */
export function useCompany() {
  return useResource((signal) => getCompany(signal), []);
}
