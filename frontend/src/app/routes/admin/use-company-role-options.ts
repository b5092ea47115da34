import { useCompanyRoles } from '@/features/company-roles/hooks/use-company-roles';
import type { CompanyRoleOptions } from '@/features/users/types/users';

/** Joins the two admin features here, in the app layer, so neither imports the other. */
export function useCompanyRoleOptions(): CompanyRoleOptions {
  const { state } = useCompanyRoles();
  return { status: state.status, names: state.roles.map((role) => role.name) };
}
