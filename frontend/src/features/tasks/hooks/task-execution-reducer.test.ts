import { describe, expect, it } from 'vitest';

import { initialTaskExecutionState, taskExecutionReducer } from '@/features/tasks/hooks/task-execution-reducer';

describe('taskExecutionReducer', () => {
  it('keeps what the worker typed and clears old findings on submit', () => {
    const typed = taskExecutionReducer(initialTaskExecutionState(), {
      type: 'outputChanged',
      output: { approved: true },
    });
    const refused = taskExecutionReducer(typed, {
      type: 'invalid',
      serverErrors: { laptop: { __errors: ['required'] } },
      formError: null,
    });
    expect(refused).toMatchObject({ output: { approved: true }, submitting: false });
    expect(taskExecutionReducer(refused, { type: 'submitted' })).toMatchObject({
      submitting: true,
      serverErrors: null,
      formError: null,
    });
  });

  it('marks a 409 as a conflict with its message', () => {
    const state = taskExecutionReducer(taskExecutionReducer(initialTaskExecutionState(), { type: 'submitted' }), {
      type: 'conflicted',
      message: 'The task changed since it was read; reload it and try again.',
    });
    expect(state).toMatchObject({ conflict: true, submitting: false });
    expect(state.formError).toContain('reload');
  });
});
