import type { Problem, PublishResult } from '@/features/definitions/types/definitions';

export type BundleEditorState = {
  text: string;
  busy: 'loading' | 'validating' | 'publishing' | null;
  /** Problems of the last check, for the text they were found in. */
  errors: Problem[];
  warnings: Problem[];
  checkedText: string | null;
  message: { tone: 'error' | 'success' | 'info'; text: string } | null;
  published: PublishResult | null;
};

export type BundleEditorAction =
  | { type: 'textChanged'; text: string }
  | { type: 'loadStarted' }
  | { type: 'loaded'; text: string }
  | { type: 'started'; busy: 'validating' | 'publishing' }
  | { type: 'checked'; errors: Problem[]; warnings: Problem[] }
  | { type: 'published'; result: PublishResult }
  | { type: 'failed'; message: string };

export function initialBundleEditorState(text = ''): BundleEditorState {
  return { text, busy: null, errors: [], warnings: [], checkedText: null, message: null, published: null };
}

export function bundleEditorReducer(state: BundleEditorState, action: BundleEditorAction): BundleEditorState {
  switch (action.type) {
    case 'textChanged':
      // What was said about the previous text no longer holds.
      return { ...state, text: action.text, published: null, message: null };
    case 'loadStarted':
      return { ...state, busy: 'loading' };
    case 'loaded':
      return { ...initialBundleEditorState(action.text) };
    case 'started':
      return { ...state, busy: action.busy, message: null, published: null };
    case 'checked': {
      const count = action.errors.length;
      return {
        ...state,
        busy: null,
        errors: action.errors,
        warnings: action.warnings,
        checkedText: state.text,
        message:
          count === 0
            ? { tone: 'success', text: 'The bundle is valid.' }
            : { tone: 'error', text: `The bundle has ${count} problem${count === 1 ? '' : 's'}; nothing was saved.` },
      };
    }
    case 'published': {
      const created = action.result.workflow.created || action.result.ticket_types.some((t) => t.created);
      return {
        ...state,
        busy: null,
        errors: [],
        warnings: action.result.warnings,
        checkedText: state.text,
        published: action.result,
        message: created
          ? {
              tone: 'success',
              text: `Published ${action.result.workflow.key} version ${action.result.workflow.version}.`,
            }
          : { tone: 'info', text: 'Nothing changed: the bundle matches the latest versions.' },
      };
    }
    case 'failed':
      return { ...state, busy: null, message: { tone: 'error', text: action.message } };
  }
}
