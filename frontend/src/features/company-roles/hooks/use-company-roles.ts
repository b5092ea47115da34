import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import {
  createCompanyRole,
  deleteCompanyRole,
  listCompanyRoles,
  renameCompanyRole,
} from '@/features/company-roles/api/company-roles';
import type { CompanyRole } from '@/features/company-roles/types/company-role';

// The same key as the assignment pages' role list: a change here is read again there too.
export const COMPANY_ROLES_KEY = ['identity', 'company-roles'] as const;

export function sortByName(roles: readonly CompanyRole[]): CompanyRole[] {
  return [...roles].sort((a, b) => a.name.localeCompare(b.name));
}

/** The company's roles, by name. */
export function useCompanyRoles() {
  return useQuery({
    queryKey: COMPANY_ROLES_KEY,
    queryFn: ({ signal }) => listCompanyRoles(signal),
    select: sortByName,
  });
}

/** A write's mutation that settles once the roles have been read again. */
function useRolesWrite<V, R>(write: (variables: V) => Promise<R>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => client.invalidateQueries({ queryKey: COMPANY_ROLES_KEY }),
  });
}

export const useCreateCompanyRole = () => useRolesWrite((name: string) => createCompanyRole(name));

export const useRenameCompanyRole = (roleId: string) =>
  useRolesWrite((name: string) => renameCompanyRole(roleId, name));

export const useDeleteCompanyRole = (roleId: string) => useRolesWrite(() => deleteCompanyRole(roleId));
