import type { ErrorTree } from '@/lib/error-schema';

export type TaskExecutionState = {
  output: Record<string, unknown>;
  submitting: boolean;
  serverErrors: ErrorTree | null;
  formError: string | null;
  /** The task changed under the worker (409): the form offers to reload it. */
  conflict: boolean;
};

export type TaskExecutionAction =
  | { type: 'outputChanged'; output: Record<string, unknown> }
  | { type: 'submitted' }
  | { type: 'invalid'; serverErrors: ErrorTree | null; formError: string | null }
  | { type: 'conflicted'; message: string }
  | { type: 'failed'; message: string }
  | { type: 'completed' };

export function initialTaskExecutionState(output: Record<string, unknown> = {}): TaskExecutionState {
  return { output, submitting: false, serverErrors: null, formError: null, conflict: false };
}

export function taskExecutionReducer(state: TaskExecutionState, action: TaskExecutionAction): TaskExecutionState {
  switch (action.type) {
    case 'outputChanged':
      return { ...state, output: action.output };
    case 'submitted':
      return { ...state, submitting: true, serverErrors: null, formError: null, conflict: false };
    case 'invalid':
      return { ...state, submitting: false, serverErrors: action.serverErrors, formError: action.formError };
    case 'conflicted':
      return { ...state, submitting: false, conflict: true, formError: action.message };
    case 'failed':
      return { ...state, submitting: false, formError: action.message };
    case 'completed':
      return { ...state, submitting: false };
  }
}
