import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';

import { getCompany } from '@/features/company/api/company';
import type { Company } from '@/features/company/types/company';

const COMPANY_KEY = ['identity', 'company'] as const;

/** The caller's company, its details and counts. */
export function useCompany() {
  return useQuery({ queryKey: COMPANY_KEY, queryFn: ({ signal }) => getCompany(signal) });
}

/** Shows what a save answered with, without asking again. */
export function useCompanySaved(): (company: Company) => void {
  const client = useQueryClient();
  return useCallback((company: Company) => client.setQueryData(COMPANY_KEY, company), [client]);
}
