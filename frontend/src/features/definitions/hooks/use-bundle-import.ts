import { useReducer } from 'react';

import { publishBundle, validateBundle } from '@/features/definitions/api/definitions';
import { parseBundle } from '@/features/definitions/hooks/bundle-locations';
import type { Problem, PublishResult } from '@/features/definitions/types/definitions';
import { ApiError, errorMessage } from '@/lib/api-error';

/** What an exported bundle holds, read from its text before anything is sent. */
export type BundleContents = {
  workflow: { key: string; name: string; tasks: number };
  ticketTypes: { key: string; name: string }[];
};

export type ImportState = {
  fileName: string | null;
  text: string | null;
  contents: BundleContents | null;
  busy: 'checking' | 'importing' | null;
  errors: Problem[];
  warnings: Problem[];
  checked: boolean;
  result: PublishResult | null;
  message: string | null;
};

type Action =
  | { type: 'opened'; fileName: string; text: string; contents: BundleContents | null; message: string | null }
  | { type: 'started'; busy: 'checking' | 'importing' }
  | { type: 'checked'; errors: Problem[]; warnings: Problem[] }
  | { type: 'imported'; result: PublishResult }
  | { type: 'failed'; message: string };

const initial: ImportState = {
  fileName: null,
  text: null,
  contents: null,
  busy: null,
  errors: [],
  warnings: [],
  checked: false,
  result: null,
  message: null,
};

function reducer(state: ImportState, action: Action): ImportState {
  switch (action.type) {
    case 'opened':
      return {
        ...initial,
        fileName: action.fileName,
        text: action.text,
        contents: action.contents,
        message: action.message,
      };
    case 'started':
      return { ...state, busy: action.busy, message: null };
    case 'checked':
      return { ...state, busy: null, errors: action.errors, warnings: action.warnings, checked: true };
    case 'imported':
      return { ...state, busy: null, result: action.result };
    case 'failed':
      return { ...state, busy: null, message: action.message };
  }
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

export function contentsOf(text: string): BundleContents | null {
  const data = record(parseBundle(text).data);
  const workflow = record(data.workflow);
  if (typeof workflow.key !== 'string') return null;
  const types = Array.isArray(data.ticket_types) ? data.ticket_types.map(record) : [];
  return {
    workflow: {
      key: workflow.key,
      name: String(workflow.name ?? workflow.key),
      tasks: Array.isArray(workflow.tasks) ? workflow.tasks.length : 0,
    },
    ticketTypes: types.map((t) => ({ key: String(t.key ?? ''), name: String(t.name ?? t.key ?? '') })),
  };
}

function problemsFrom(error: unknown): Problem[] | null {
  if (!(error instanceof ApiError) || error.status !== 422 || error.problem.errors.length === 0) return null;
  return error.problem.errors.map((e) => ({ loc: e.loc.map(String), path: e.loc.join('.'), msg: e.msg, type: e.type }));
}

/** Open an exported bundle file, check it, import it as this company's own definitions. */
export function useBundleImport() {
  const [state, dispatch] = useReducer(reducer, initial);

  const open = async (file: File) => {
    const text = await file.text();
    const contents = contentsOf(text);
    dispatch({
      type: 'opened',
      fileName: file.name,
      text,
      contents,
      message: contents ? null : 'This file is not a bundle: it has no workflow with a key.',
    });
    if (!contents) return;
    dispatch({ type: 'started', busy: 'checking' });
    try {
      const report = await validateBundle(text);
      dispatch({ type: 'checked', errors: report.errors, warnings: report.warnings });
    } catch (error) {
      dispatch({ type: 'failed', message: errorMessage(error) });
    }
  };

  const importBundle = async () => {
    if (!state.text) return;
    dispatch({ type: 'started', busy: 'importing' });
    try {
      dispatch({ type: 'imported', result: await publishBundle(state.text) });
    } catch (error) {
      const problems = problemsFrom(error);
      if (problems) dispatch({ type: 'checked', errors: problems, warnings: [] });
      else dispatch({ type: 'failed', message: errorMessage(error) });
    }
  };

  return { state, open, importBundle };
}
