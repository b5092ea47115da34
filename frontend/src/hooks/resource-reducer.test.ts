import { describe, expect, it } from 'vitest';

import { initialResourceState, resourceReducer } from '@/hooks/resource-reducer';

describe('resourceReducer', () => {
  it('starts loading with nothing to show', () => {
    expect(initialResourceState()).toEqual({
      status: 'loading',
      data: null,
      error: null,
      errorStatus: null,
      reloads: 0,
    });
  });

  it('keeps the shown data while reloading, then replaces it', () => {
    const ready = resourceReducer(initialResourceState<number>(), { type: 'loaded', data: 1 });
    const reloading = resourceReducer(ready, { type: 'reloaded' });
    expect(reloading).toMatchObject({ status: 'loading', data: 1, reloads: 1 });
    expect(resourceReducer(reloading, { type: 'loaded', data: 2 })).toMatchObject({ status: 'ready', data: 2 });
  });

  it('records the failure with its HTTP status so pages can tell "not found" apart', () => {
    const failed = resourceReducer(initialResourceState<number>(), {
      type: 'failed',
      error: 'Ticket not found',
      status: 404,
    });
    expect(failed).toMatchObject({ status: 'error', error: 'Ticket not found', errorStatus: 404 });
    expect(resourceReducer(failed, { type: 'reloaded' })).toMatchObject({ status: 'loading', errorStatus: null });
  });

  it('shows the state an action answered with at once', () => {
    const ready = resourceReducer(initialResourceState<string>(), { type: 'loaded', data: 'RUNNING' });
    expect(resourceReducer(ready, { type: 'replaced', data: 'ON_HOLD' })).toMatchObject({
      status: 'ready',
      data: 'ON_HOLD',
      reloads: 0,
    });
  });
});
