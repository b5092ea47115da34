import { describe, expect, it } from 'vitest';

import {
  initialInstanceActionsState,
  instanceActionsReducer,
} from '@/features/workflow-instances/hooks/instance-actions-reducer';
import { actionsFor } from '@/features/workflow-instances/types/instances';

describe('instanceActionsReducer', () => {
  it('asks before cancelling, then runs', () => {
    const asked = instanceActionsReducer(initialInstanceActionsState, { type: 'confirmAsked', action: 'cancel' });
    expect(asked.confirming).toBe('cancel');
    const running = instanceActionsReducer(asked, { type: 'started', action: 'cancel' });
    expect(running).toMatchObject({ running: 'cancel', confirming: null });
    expect(instanceActionsReducer(running, { type: 'succeeded', notice: 'Cancelled.' })).toMatchObject({
      running: null,
      notice: 'Cancelled.',
    });
  });

  it('keeps the skip output when the server refuses it, with the problems at their fields', () => {
    let state = instanceActionsReducer(initialInstanceActionsState, {
      type: 'skipOutputChanged',
      output: { approved: 'yes' },
    });
    state = instanceActionsReducer(state, { type: 'started', action: 'skip' });
    state = instanceActionsReducer(state, {
      type: 'failed',
      error: 'The output does not match',
      skipErrors: { approved: { __errors: ["'yes' is not of type 'boolean'"] } },
    });
    expect(state).toMatchObject({ running: null, skipOutput: { approved: 'yes' } });
    expect(state.skipErrors).toEqual({ approved: { __errors: ["'yes' is not of type 'boolean'"] } });
  });
});

describe('actionsFor', () => {
  it('offers what each workflow status allows', () => {
    expect(actionsFor('RUNNING')).toEqual(['hold', 'cancel']);
    expect(actionsFor('ON_HOLD')).toEqual(['resume', 'cancel']);
    expect(actionsFor('INCIDENT')).toEqual(['retry', 'cancel']);
    expect(actionsFor('COMPLETED')).toEqual([]);
  });
});
