import { useReducer } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { JsonView } from '@/components/ui/json-view';
import { StatusBadge } from '@/components/ui/status-badge';
import { TextareaField } from '@/components/ui/textarea-field';
import { dryRun } from '@/features/definitions/api/definitions';
import type { DryRunRequest, DryRunResult } from '@/features/definitions/types/definitions';
import { errorMessage } from '@/lib/api-error';

type Target = { bundle: unknown } | { workflow_key: string; version: number };

type State = {
  ticketData: string;
  taskOutputs: string;
  running: boolean;
  inputError: string | null;
  error: string | null;
  result: DryRunResult | null;
};

type Action =
  | { type: 'changed'; field: 'ticketData' | 'taskOutputs'; value: string }
  | { type: 'started' }
  | { type: 'invalidInput'; error: string }
  | { type: 'finished'; result: DryRunResult }
  | { type: 'failed'; error: string };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'changed':
      return { ...state, [action.field]: action.value, inputError: null };
    case 'started':
      return { ...state, running: true, error: null, inputError: null };
    case 'invalidInput':
      return { ...state, running: false, inputError: action.error };
    case 'finished':
      return { ...state, running: false, result: action.result };
    case 'failed':
      return { ...state, running: false, error: action.error };
  }
}

function parseObject(text: string, what: string): Record<string, unknown> {
  const value: unknown = text.trim() === '' ? {} : JSON.parse(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${what} must be a JSON object.`);
  return value as Record<string, unknown>;
}

/** Walks a workflow for sample ticket data and task outputs: the path and every condition's value. */
export function DryRunPanel({ target, onPath }: { target: Target; onPath?: (path: string[]) => void }) {
  const [state, dispatch] = useReducer(reducer, {
    ticketData: '{\n  \n}',
    taskOutputs: '{\n  \n}',
    running: false,
    inputError: null,
    error: null,
    result: null,
  });

  const run = async () => {
    let ticketData: Record<string, unknown>;
    let taskOutputs: Record<string, Record<string, unknown>>;
    try {
      ticketData = parseObject(state.ticketData, 'Ticket data');
      taskOutputs = parseObject(state.taskOutputs, 'Task outputs') as Record<string, Record<string, unknown>>;
    } catch (error) {
      dispatch({ type: 'invalidInput', error: error instanceof Error ? error.message : String(error) });
      return;
    }
    dispatch({ type: 'started' });
    try {
      // The editor's bundle is whatever the YAML parsed to; the service checks its shape and
      // answers problems for the editor to show.
      const request = { ...target, ticket_data: ticketData, task_outputs: taskOutputs } as DryRunRequest;
      const result = await dryRun(request);
      dispatch({ type: 'finished', result });
      onPath?.(result.path);
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  return (
    <div className="flex flex-col gap-4">
      <div className="grid gap-4 md:grid-cols-2">
        <TextareaField
          label="Sample ticket data (JSON)"
          name="ticket_data"
          monospace
          value={state.ticketData}
          onChange={(value) => dispatch({ type: 'changed', field: 'ticketData', value })}
        />
        <TextareaField
          label="Task outputs (JSON, by task key)"
          name="task_outputs"
          hint='e.g. {"review_request": {"approved": true, "laptop": "none"}}'
          monospace
          value={state.taskOutputs}
          onChange={(value) => dispatch({ type: 'changed', field: 'taskOutputs', value })}
        />
      </div>
      {state.inputError && <Alert tone="error">{state.inputError}</Alert>}
      <div>
        <Button variant="secondary" loading={state.running} onClick={() => void run()}>
          Run dry run
        </Button>
      </div>
      {state.error && <Alert tone="error">{state.error}</Alert>}
      {state.result && (
        <div className="flex flex-col gap-3" data-testid="dry-run-result">
          <p className="flex flex-wrap items-center gap-2 text-sm">
            <StatusBadge status={state.result.outcome} /> {state.result.detail}
          </p>
          <p className="text-sm">
            <span className="font-semibold">Path:</span> {state.result.path.join(' → ')}
          </p>
          <ol className="flex flex-col gap-2 text-sm">
            {state.result.steps.map((step, index) => (
              <li key={`${step.task_key}-${index}`} className="rounded-md border border-slate-200 p-2">
                <p className="font-medium">
                  {index + 1}. {step.task_name} <span className="text-slate-500">({step.task_key})</span>
                  {step.output_applied && <span className="text-xs text-green-700"> · output applied</span>}
                </p>
                {step.conditions.length > 0 && (
                  <ul className="mt-1 flex flex-col gap-0.5 text-xs">
                    {step.conditions.map((c, i) => (
                      <li key={i} className={c.holds ? 'text-green-800' : 'text-slate-600'}>
                        → {c.to}: <code>{c.condition ?? 'otherwise'}</code> = {JSON.stringify(c.value)}
                        {c.holds ? ' (taken)' : ''}
                        {c.error && <span className="text-red-700"> · {c.error}</span>}
                      </li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
          </ol>
          <details>
            <summary className="cursor-pointer text-sm text-indigo-700">Workflow data at the end</summary>
            <JsonView label="Workflow data at the end" value={state.result.workflow_data} />
          </details>
        </div>
      )}
    </div>
  );
}
