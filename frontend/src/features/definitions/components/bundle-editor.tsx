import { useEffect, useId, useMemo, useReducer } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { TextareaField } from '@/components/ui/textarea-field';
import { WorkflowGraph } from '@/components/workflow-graph/workflow-graph';
import { workflowHref } from '@/config/paths';
import { exportWorkflow, publishBundle, validateBundle } from '@/features/definitions/api/definitions';
import { AnnotatedSource } from '@/features/definitions/components/annotated-source';
import { DryRunPanel } from '@/features/definitions/components/dry-run-panel';
import { LayoutPreviewPanel } from '@/features/definitions/components/layout-preview-panel';
import { bundleEditorReducer, initialBundleEditorState } from '@/features/definitions/hooks/bundle-editor-reducer';
import { bundleGraph, parseBundle, pathOf, problemsByLine } from '@/features/definitions/hooks/bundle-locations';
import { previewTargets } from '@/features/definitions/hooks/layout-preview';
import type { Problem } from '@/features/definitions/types/definitions';
import { ApiError, errorMessage } from '@/lib/api-error';

function problemsFrom(error: unknown): Problem[] | null {
  if (!(error instanceof ApiError) || error.status !== 422 || error.problem.errors.length === 0) return null;
  return error.problem.errors.map((entry) => {
    const loc = entry.loc.map(String);
    return { loc, path: pathOf(loc), msg: entry.msg, type: entry.type, line: entry.line, column: entry.column };
  });
}

/** Write, paste or open a bundle, check it with every problem shown at its place, publish it. */
export function BundleEditor({ editKey, initialText = '' }: { editKey: string | null; initialText?: string }) {
  const [state, dispatch] = useReducer(bundleEditorReducer, undefined, () => initialBundleEditorState(initialText));
  const fileId = useId();

  useEffect(() => {
    if (!editKey) return;
    let cancelled = false;
    dispatch({ type: 'loadStarted' });
    exportWorkflow(editKey, 'yaml').then(
      (text) => !cancelled && dispatch({ type: 'loaded', text }),
      (error: unknown) => !cancelled && dispatch({ type: 'failed', message: errorMessage(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [editKey]);

  const checked = useMemo(() => {
    if (state.checkedText === null) return null;
    const parsed = parseBundle(state.checkedText);
    return {
      text: state.checkedText,
      errors: problemsByLine(parsed, state.errors),
      warnings: problemsByLine(parsed, state.warnings),
    };
  }, [state.checkedText, state.errors, state.warnings]);
  const current = useMemo(() => parseBundle(state.text), [state.text]);
  // Drawn from whatever parts of the text parse, so a typo does not blank the preview.
  const graph = useMemo(() => bundleGraph(current.data ?? current.partial), [current.data, current.partial]);
  const syntax = current.syntaxErrors.map((e) => `Line ${e.line}: ${e.msg}.`).join(' ');

  const run = async (kind: 'validating' | 'publishing') => {
    if (state.text.trim() === '') {
      dispatch({ type: 'failed', message: 'Write or open a bundle first.' });
      return;
    }
    if (current.syntaxErrors.length > 0) {
      // The syntax error is already on screen; the service would only say it again.
      dispatch({ type: 'failed', message: `The bundle does not parse; nothing was saved. ${syntax}` });
      return;
    }
    dispatch({ type: 'started', busy: kind });
    try {
      if (kind === 'validating') {
        const report = await validateBundle(state.text);
        dispatch({ type: 'checked', errors: report.errors, warnings: report.warnings });
      } else {
        dispatch({ type: 'published', result: await publishBundle(state.text) });
      }
    } catch (error) {
      const problems = problemsFrom(error);
      if (problems) dispatch({ type: 'checked', errors: problems, warnings: [] });
      else dispatch({ type: 'failed', message: errorMessage(error) });
    }
  };

  const openFile = async (file: File | undefined) => {
    if (!file) return;
    dispatch({ type: 'loaded', text: await file.text() });
  };

  return (
    <div className="flex flex-col gap-6">
      <Card
        title={editKey ? `Edit ${editKey}` : 'Bundle'}
        description="A bundle holds one workflow with its tasks and transitions, and the ticket types that start it (YAML or JSON). Publishing an edit creates new versions; running workflows keep theirs."
      >
        <div className="flex flex-col gap-4">
          <div className="flex flex-col gap-1">
            <label htmlFor={fileId} className="text-sm font-semibold">
              Open a file
            </label>
            <input
              id={fileId}
              type="file"
              accept=".yaml,.yml,.json,application/json,application/yaml"
              className="text-sm"
              onChange={(event) => void openFile(event.target.files?.[0])}
            />
          </div>
          <TextareaField
            label="Bundle (YAML or JSON)"
            name="bundle"
            rows={18}
            monospace
            value={state.text}
            disabled={state.busy === 'loading'}
            onChange={(text) => dispatch({ type: 'textChanged', text })}
          />
          {/* Said once: while the text is being written, or as the answer to Validate/Publish. */}
          {current.syntaxErrors.length > 0 && state.text.trim() !== '' && !state.message && (
            <Alert tone="info" title="Syntax">
              {syntax}
            </Alert>
          )}
          <div className="flex flex-wrap gap-2">
            <Button
              variant="secondary"
              loading={state.busy === 'validating'}
              disabled={state.busy !== null}
              onClick={() => void run('validating')}
            >
              Validate
            </Button>
            <Button
              loading={state.busy === 'publishing'}
              disabled={state.busy !== null}
              onClick={() => void run('publishing')}
            >
              Publish
            </Button>
          </div>
          {state.message && <Alert tone={state.message.tone}>{state.message.text}</Alert>}
          {state.published && (
            <p className="text-sm">
              <Link to={workflowHref(state.published.workflow.key)} className="text-indigo-700 underline">
                Open workflow {state.published.workflow.key}
              </Link>
              {state.published.ticket_types.length > 0 &&
                ` · ticket types: ${state.published.ticket_types.map((t) => `${t.key} v${t.version}`).join(', ')}`}
            </p>
          )}
        </div>
      </Card>
      {checked && (state.errors.length > 0 || state.warnings.length > 0) && (
        <Card title="Problems" description="Each problem is shown under the line of the bundle it concerns.">
          <ul className="mb-4 flex flex-col gap-1 text-sm" aria-label="Problem list">
            {state.errors.map((problem, index) => (
              <li key={`e${index}`} className="text-red-800" data-testid="bundle-problem">
                <a href={`#bundle-line-${parseBundle(checked.text).lineOf(problem.loc)}`} className="underline">
                  <code>{problem.path}</code>
                </a>
                : {problem.msg}
              </li>
            ))}
            {state.warnings.map((problem, index) => (
              <li key={`w${index}`} className="text-amber-800">
                Warning <code>{problem.path}</code>: {problem.msg}
              </li>
            ))}
          </ul>
          <AnnotatedSource text={checked.text} byLine={checked.errors} warningsByLine={checked.warnings} />
        </Card>
      )}
      {graph && (graph.nodes.length > 0 || graph.problems.length > 0) && (
        <Card title="Graph preview">
          {(graph.problems.length > 0 || current.syntaxErrors.length > 0) && (
            <div className="mb-3 text-sm text-amber-900" data-testid="graph-problems">
              <p className="font-semibold">
                {current.syntaxErrors.length > 0
                  ? 'The bundle does not parse yet; the preview shows the parts that do.'
                  : 'Parts of the workflow cannot be drawn as written:'}
              </p>
              {graph.problems.length > 0 && (
                <ul className="ml-5 list-disc">
                  {graph.problems.map((problem, index) => (
                    <li key={index}>{problem}</li>
                  ))}
                </ul>
              )}
            </div>
          )}
          {graph.nodes.length > 0 && <WorkflowGraph graph={graph} label="Graph of the bundle being edited" />}
        </Card>
      )}
      {current.data !== null && previewTargets(current.data).length > 0 && (
        <Card
          title="Layout preview"
          description="Custom layouts of this bundle, drawn in their sandbox with sample data beside their source."
        >
          <LayoutPreviewPanel bundle={current.data} />
        </Card>
      )}
      {current.data !== null && graph && (
        <Card title="Dry run" description="Walk this bundle's workflow with sample data, without publishing it.">
          <DryRunPanel target={{ bundle: current.data }} />
        </Card>
      )}
    </div>
  );
}
