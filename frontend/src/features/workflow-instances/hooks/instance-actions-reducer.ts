import type { InstanceAction } from '@/features/workflow-instances/types/instances';
import type { ErrorTree } from '@/lib/error-schema';

export type InstanceActionsState = {
  running: InstanceAction | 'skip' | null;
  /** An action that needs a second click to confirm (cancelling cannot be undone). */
  confirming: InstanceAction | null;
  error: string | null;
  notice: string | null;
  skipOutput: Record<string, unknown>;
  skipErrors: ErrorTree | null;
};

export type InstanceActionsAction =
  | { type: 'confirmAsked'; action: InstanceAction }
  | { type: 'confirmDismissed' }
  | { type: 'started'; action: InstanceAction | 'skip' }
  | { type: 'succeeded'; notice: string }
  | { type: 'failed'; error: string; skipErrors?: ErrorTree | null }
  | { type: 'skipOutputChanged'; output: Record<string, unknown> };

export const initialInstanceActionsState: InstanceActionsState = {
  running: null,
  confirming: null,
  error: null,
  notice: null,
  skipOutput: {},
  skipErrors: null,
};

export function instanceActionsReducer(
  state: InstanceActionsState,
  action: InstanceActionsAction,
): InstanceActionsState {
  switch (action.type) {
    case 'confirmAsked':
      return { ...state, confirming: action.action, error: null, notice: null };
    case 'confirmDismissed':
      return { ...state, confirming: null };
    case 'started':
      return { ...state, running: action.action, confirming: null, error: null, notice: null, skipErrors: null };
    case 'succeeded':
      return { ...state, running: null, notice: action.notice, skipOutput: {} };
    case 'failed':
      return { ...state, running: null, error: action.error, skipErrors: action.skipErrors ?? null };
    case 'skipOutputChanged':
      return { ...state, skipOutput: action.output };
  }
}
