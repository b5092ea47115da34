import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { useEffect } from 'react';

import { getCompany, listCompanies, setCompanyStatus, type CompanyQuery } from '@/features/operator/api/operator';
import { useOperatorSession } from '@/features/operator/hooks/operator-session';
import { queryErrorStatus } from '@/lib/query';

/** Reads with the operator's token (its cache is the operator's, keyed apart from any
 * company user's); a 401 (the token expired) ends the operator session. */
function useOperatorQuery<T>(key: QueryKey, load: (token: string, signal: AbortSignal) => Promise<T>) {
  const { session, signOut } = useOperatorSession();
  const token = session?.access_token ?? '';
  const query = useQuery({
    queryKey: ['operator', session?.operator.id ?? null, ...key],
    queryFn: ({ signal }) => load(token, signal),
    enabled: token !== '',
  });
  const expired = queryErrorStatus(query.error) === 401;
  useEffect(() => {
    if (expired) signOut();
  }, [expired, signOut]);
  return query;
}

export function useOperatorCompanies(query: CompanyQuery) {
  return useOperatorQuery(['companies', query], (token, signal) => listCompanies(token, query, signal));
}

export function useOperatorCompany(companyId: string) {
  return useOperatorQuery(['company', companyId], (token, signal) => getCompany(token, companyId, signal));
}

/** Suspends or reactivates a company; the detail shows the answer and the list is read again. */
export function useCompanyStatusChange(companyId: string) {
  const { session } = useOperatorSession();
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: 'suspend' | 'reactivate') => setCompanyStatus(session?.access_token ?? '', companyId, action),
    onSuccess: (company) => {
      client.setQueryData(['operator', session?.operator.id ?? null, 'company', companyId], company);
      void client.invalidateQueries({ queryKey: ['operator', session?.operator.id ?? null, 'companies'] });
    },
  });
}
