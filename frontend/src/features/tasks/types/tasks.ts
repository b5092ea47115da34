// Shapes of the engine's task and worker APIs (services/engine: tasks, workers modules).

import type { Schema } from '@/types/api';

export const TASK_STATUSES = [
  'PENDING',
  'ASSIGNED',
  'IN_PROGRESS',
  'ERROR',
  'COMPLETED',
  'SKIPPED',
  'CANCELLED',
] as const;
export const ACTIVE_TASK_STATUSES: readonly string[] = ['PENDING', 'ASSIGNED', 'IN_PROGRESS', 'ERROR'];
export const TASK_TYPES = ['FORM', 'SYNC_ACTION', 'ASYNC_ACTION'] as const;

/** Declarative sections, or React component source run in a sandboxed frame (components/custom-layout). */
export type Layout =
  { sections?: Array<{ title?: string; fields?: string[] }> } | { source: string; language?: 'tsx' | 'jsx' } | null;

export type Task = Schema<'engine__TaskRead'>;

export type HistoryEntry = Schema<'HistoryEntryRead'>;

export type TaskDetail = Omit<Schema<'TaskDetailRead'>, 'edit_layout' | 'display_layout'> & {
  edit_layout: Layout;
  display_layout: Layout;
};

/** One assignment of a task: to whom, who or what made it (a strategy or a person), and why. */
export type AssignmentRecord = Schema<'AssignmentRecordRead'>;

export type Worker = Schema<'WorkerRead'>;

export type TasksQuery = {
  view: 'active' | 'archive';
  status?: string;
  task_type?: string;
  task_key?: string;
  assignee_id?: string;
  /** `-created_at` (newest first) unless given; `due_at` puts the most urgent first. */
  sort?: string;
  /** Words of the task's name or its ticket's number, title or data, each as a prefix. */
  q?: string;
  page: number;
  page_size: number;
};

export const TASK_SORTS = [
  { value: '', label: 'Newest first' },
  { value: 'due_at', label: 'Due soonest' },
  { value: '-due_at', label: 'Due latest' },
] as const;
