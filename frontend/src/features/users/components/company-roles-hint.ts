import type { CompanyRoleOptions } from '@/features/users/types/users';

export function companyRolesHint(options: CompanyRoleOptions): string {
  switch (options.status) {
    case 'loading':
      return 'Loading the company roles…';
    case 'error':
      return 'The company roles could not be loaded; only the roles already held are listed.';
    case 'ready':
      return 'Company roles decide which ticket types the user may submit.';
  }
}
