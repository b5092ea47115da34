// Shapes of the identity service's notifications module (services/identity: notifications).

export type NotificationKind =
  | 'task_assigned'
  | 'task_due_soon'
  | 'task_overdue'
  | 'ticket_status'
  | 'ticket_finished'
  | 'ticket_needs_input'
  | 'incident';

export type AppNotification = {
  id: string;
  kind: NotificationKind;
  title: string;
  body: string;
  link: string | null;
  ticket_id: string | null;
  task_instance_id: string | null;
  created_at: string;
  read_at: string | null;
};

export type NotificationSummary = { unread: number; latest_id: string | null };

export type NotificationPreference = {
  kind: NotificationKind;
  label: string;
  in_app: boolean;
  email: boolean;
};
