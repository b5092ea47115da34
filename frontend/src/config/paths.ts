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
  calendar: '/calendar',
  notifications: '/notifications',
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
  taskDefinition: '/definitions/workflows/:workflowKey/tasks/:taskKey',
  definitionsImport: '/definitions/import',
  adminCompany: '/admin/company',
  operatorLogin: '/operator/login',
  operator: '/operator',
  operatorCompany: '/operator/companies/:companyId',
} as const;

const segment = (value: string) => encodeURIComponent(value);

export const ticketHref = (ticketId: string) => `/tickets/${segment(ticketId)}`;
export const taskHref = (taskId: string) => `/tasks/${segment(taskId)}`;
export const instanceHref = (instanceId: string) => `/instances/${segment(instanceId)}`;
export const workflowHref = (key: string) => `/definitions/workflows/${segment(key)}`;
export const ticketTypeHref = (key: string) => `/definitions/ticket-types/${segment(key)}`;
/** A task of a workflow; without `version` the workflow's latest. */
export const taskDefinitionHref = (workflowKey: string, taskKey: string, version?: number) =>
  `/definitions/workflows/${segment(workflowKey)}/tasks/${segment(taskKey)}${version ? `?version=${version}` : ''}`;
export const operatorCompanyHref = (companyId: string) => `/operator/companies/${segment(companyId)}`;
/** The bundle editor, opened on an existing workflow's latest version to publish an edit. */
/** The bundle editor, opened on the sample IT onboarding bundle. */
export const sampleBundleHref = '/definitions/upload?sample=it-onboarding';
export const editBundleHref = (workflowKey: string) => `/definitions/upload?workflow=${segment(workflowKey)}`;

export function adminUserHref(userId: string): string {
  return `/admin/users/${encodeURIComponent(userId)}`;
}
