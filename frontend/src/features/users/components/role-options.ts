import type { CheckboxOption } from '@/components/ui/checkbox-group';
import { SYSTEM_ROLE_INFO } from '@/config/roles';
import { SYSTEM_ROLES } from '@/types/api';

export const SYSTEM_ROLE_OPTIONS: CheckboxOption[] = SYSTEM_ROLES.map((role) => ({
  value: role,
  label: SYSTEM_ROLE_INFO[role].label,
  description: SYSTEM_ROLE_INFO[role].description,
}));

/** The company's roles plus any the user already holds, so no held role silently vanishes. */
export function companyRoleOptions(available: readonly string[], held: readonly string[]): CheckboxOption[] {
  const names = [...new Set([...available, ...held])].sort((a, b) => a.localeCompare(b));
  return names.map((name) => ({ value: name, label: name }));
}
