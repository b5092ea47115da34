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
  assignmentQueue: '/tasks/queue',
  definitions: '/definitions',
  admin: '/admin',
  adminUsers: '/admin/users',
  adminUserNew: '/admin/users/new',
  adminUser: '/admin/users/:userId',
  adminCompanyRoles: '/admin/company-roles',
  adminIntegrations: '/admin/integrations',
  adminAssignment: '/admin/assignment',
  reports: '/reports',
  search: '/search',
  ticket: '/tickets/:ticketId',
  task: '/tasks/:taskId',
  instance: '/instances/:instanceId',
  definitionsUpload: '/definitions/upload',
  workflow: '/definitions/workflows/:workflowKey',
  ticketType: '/definitions/ticket-types/:ticketTypeKey',
} as const;

const segment = (value: string) => encodeURIComponent(value);

export const ticketHref = (ticketId: string) => `/tickets/${segment(ticketId)}`;
export const taskHref = (taskId: string) => `/tasks/${segment(taskId)}`;
export const instanceHref = (instanceId: string) => `/instances/${segment(instanceId)}`;
export const workflowHref = (key: string) => `/definitions/workflows/${segment(key)}`;
export const ticketTypeHref = (key: string) => `/definitions/ticket-types/${segment(key)}`;
/** The bundle editor, opened on an existing workflow's latest version to publish an edit. */
/** The bundle editor, opened on the sample IT onboarding bundle. */
export const sampleBundleHref = '/definitions/upload?sample=it-onboarding';
export const editBundleHref = (workflowKey: string) => `/definitions/upload?workflow=${segment(workflowKey)}`;

export function adminUserHref(userId: string): string {
  return `/admin/users/${encodeURIComponent(userId)}`;
}
