import { describe, expect, it } from 'vitest';

import { bundleEditorReducer, initialBundleEditorState } from '@/features/definitions/hooks/bundle-editor-reducer';

const problem = { loc: ['workflow', 'key'], path: 'workflow.key', msg: 'required', type: 'missing' };

describe('bundleEditorReducer', () => {
  it('records the problems of a check against the text that was checked', () => {
    let state = bundleEditorReducer(initialBundleEditorState('a: 1'), { type: 'started', busy: 'validating' });
    state = bundleEditorReducer(state, { type: 'checked', errors: [problem], warnings: [] });
    expect(state).toMatchObject({ busy: null, checkedText: 'a: 1', errors: [problem] });
    expect(state.message).toEqual({ tone: 'error', text: 'The bundle has 1 problem; nothing was saved.' });
  });

  it('says when a publish changed nothing', () => {
    const state = bundleEditorReducer(initialBundleEditorState('x'), {
      type: 'published',
      result: { workflow: { key: 'w', version: 2, created: false }, ticket_types: [], warnings: [] },
    });
    expect(state.message?.tone).toBe('info');
    const created = bundleEditorReducer(initialBundleEditorState('x'), {
      type: 'published',
      result: { workflow: { key: 'w', version: 3, created: true }, ticket_types: [], warnings: [] },
    });
    expect(created.message).toEqual({ tone: 'success', text: 'Published w version 3.' });
  });

  it('starts fresh when a bundle is loaded', () => {
    const dirty = bundleEditorReducer(initialBundleEditorState('x'), {
      type: 'checked',
      errors: [problem],
      warnings: [],
    });
    expect(bundleEditorReducer(dirty, { type: 'loaded', text: 'y' })).toEqual(initialBundleEditorState('y'));
  });
});
