import { useEffect, useReducer } from 'react';

import { listCompanyRoles } from '@/features/company-roles/api/company-roles';
import { companyRolesReducer, initialCompanyRolesState } from '@/features/company-roles/hooks/company-roles-reducer';
import { errorMessage } from '@/lib/api-error';

export function useCompanyRoles() {
  const [state, dispatch] = useReducer(companyRolesReducer, initialCompanyRolesState);
  const { reloads } = state;

  useEffect(() => {
    const controller = new AbortController();
    listCompanyRoles(controller.signal).then(
      (roles) => dispatch({ type: 'loaded', roles }),
      (error: unknown) => {
        if (!controller.signal.aborted) dispatch({ type: 'failed', error: errorMessage(error) });
      },
    );
    return () => controller.abort();
  }, [reloads]);

  return { state, dispatch };
}
