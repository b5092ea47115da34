import { describe, expect, it } from 'vitest';

import { actionReducer, idle } from '@/features/integrations/hooks/action-reducer';

describe('actionReducer', () => {
  it('runs one action at a time and reports how it went', () => {
    const running = actionReducer({ ...idle, error: 'old' }, { type: 'started', action: 'rotate' });
    expect(running).toEqual({ running: 'rotate', error: null, notice: null });
    expect(actionReducer(running, { type: 'succeeded', notice: 'Rotated.' })).toEqual({
      running: null,
      error: null,
      notice: 'Rotated.',
    });
    expect(actionReducer(running, { type: 'failed', error: 'Forbidden' })).toMatchObject({
      running: null,
      error: 'Forbidden',
    });
  });
});
