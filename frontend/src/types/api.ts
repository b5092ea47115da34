// Shapes of the Identity API shared by several features (see docs/CONVENTIONS.md).

export const SYSTEM_ROLES = ['user', 'admin', 'ticket_admin', 'task_worker', 'workflow_creator'] as const;

export type SystemRole = (typeof SYSTEM_ROLES)[number];

export type User = {
  id: string;
  company_id: string;
  email: string;
  first_name: string;
  last_name: string;
  is_active: boolean;
  // Plain strings on the wire: a role added on the server must not break the client.
  system_roles: string[];
  company_roles: string[];
};

export type Session = {
  access_token: string;
  token_type: 'bearer';
  expires_in: number;
  refresh_token?: string;
  user: User;
};

export type Page<T> = {
  items: T[];
  total: number;
  page: number;
  page_size: number;
};

export function isSystemRole(role: string): role is SystemRole {
  return (SYSTEM_ROLES as readonly string[]).includes(role);
}
