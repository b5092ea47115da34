import { useCompanyRoles } from '@/features/company-roles/hooks/use-company-roles';
import type { CompanyRoleOptions } from '@/features/users/types/users';

/** Joins the two admin features here, in the app layer, so neither imports the other. */
export function useCompanyRoleOptions(): CompanyRoleOptions {
  const roles = useCompanyRoles();
  const status = roles.isError ? 'error' : roles.data ? 'ready' : 'loading';
  return { status, names: (roles.data ?? []).map((role) => role.name) };
}
