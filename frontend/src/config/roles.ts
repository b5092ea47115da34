import type { SystemRole } from '@/types/api';

export const SYSTEM_ROLE_INFO: Record<SystemRole, { label: string; description: string }> = {
  user: { label: 'User', description: 'Submits and follows tickets.' },
  task_worker: { label: 'Task worker', description: 'Is assigned form tasks to complete.' },
  ticket_admin: { label: 'Ticket admin', description: 'Sees and manages every ticket and task.' },
  workflow_creator: { label: 'Workflow creator', description: 'Designs ticket types, workflows and tasks.' },
  admin: { label: 'Admin', description: 'Manages users, roles and the whole company.' },
};

/** The company role every user holds by default; it cannot be deleted or renamed. */
export const DEFAULT_COMPANY_ROLE = 'user';
