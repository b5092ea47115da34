export const paths = {
  dashboard: '/',
  login: '/login',
  signup: '/signup',
  logout: '/logout',
  resetPassword: '/reset-password',
  profile: '/profile',
  myTickets: '/tickets/mine',
  submitTicket: '/tickets/new',
  tickets: '/tickets',
  tasks: '/tasks',
  myTasks: '/tasks/mine',
  definitions: '/definitions',
  admin: '/admin',
  adminUsers: '/admin/users',
  adminUserNew: '/admin/users/new',
  adminUser: '/admin/users/:userId',
  adminCompanyRoles: '/admin/company-roles',
} as const;

export function adminUserHref(userId: string): string {
  return `/admin/users/${encodeURIComponent(userId)}`;
}
