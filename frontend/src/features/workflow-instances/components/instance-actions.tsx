import { useQuery } from '@tanstack/react-query';
import { useReducer } from 'react';

import { JsonSchemaForm } from '@/components/json-schema-form/json-schema-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { LoadingState } from '@/components/ui/states';
import { getTaskOutputSchema, runInstanceAction, skipIncident } from '@/features/workflow-instances/api/instances';
import {
  initialInstanceActionsState,
  instanceActionsReducer,
} from '@/features/workflow-instances/hooks/instance-actions-reducer';
import {
  actionsFor,
  type InstanceAction,
  type WorkflowInstanceDetail,
} from '@/features/workflow-instances/types/instances';
import { errorMessage } from '@/lib/api-error';
import { errorTreeFrom } from '@/lib/error-schema';

const LABELS: Record<InstanceAction, { button: string; done: string }> = {
  hold: { button: 'Put on hold', done: 'The workflow is on hold.' },
  resume: { button: 'Resume', done: 'The workflow was resumed.' },
  cancel: { button: 'Cancel workflow', done: 'The workflow was cancelled.' },
  retry: { button: 'Retry', done: 'The incident was retried.' },
};

type Props = { instance: WorkflowInstanceDetail; onChanged: (instance: WorkflowInstanceDetail) => void };

function SkipForm({
  taskId,
  output,
  errors,
  running,
  onChange,
  onSkip,
}: {
  taskId: string;
  output: Record<string, unknown>;
  errors: Parameters<typeof JsonSchemaForm>[0]['serverErrors'];
  running: boolean;
  onChange: (output: Record<string, unknown>) => void;
  onSkip: (output: Record<string, unknown>) => void;
}) {
  const schema = useQuery({
    queryKey: ['engine', 'tasks', 'output-schema', taskId],
    queryFn: ({ signal }) => getTaskOutputSchema(taskId, signal),
  });
  if (schema.isError) return <Alert tone="error">{errorMessage(schema.error)}</Alert>;
  if (!schema.data) return <LoadingState label="Loading the task’s output form…" />;
  return (
    <JsonSchemaForm
      idPrefix="skip"
      schema={schema.data}
      formData={output}
      serverErrors={errors}
      disabled={running}
      onChange={onChange}
      onSubmit={onSkip}
    >
      <Button type="submit" variant="secondary" loading={running}>
        Skip with this output
      </Button>
    </JsonSchemaForm>
  );
}

/** Hold, resume, cancel a workflow; retry or skip the task behind an incident. */
export function InstanceActions({ instance, onChanged }: Props) {
  const [state, dispatch] = useReducer(instanceActionsReducer, initialInstanceActionsState);
  const available = actionsFor(instance.status);

  const run = async (action: InstanceAction) => {
    if (action === 'cancel' && state.confirming !== 'cancel') {
      dispatch({ type: 'confirmAsked', action });
      return;
    }
    dispatch({ type: 'started', action });
    try {
      onChanged(await runInstanceAction(instance.id, action));
      dispatch({ type: 'succeeded', notice: LABELS[action].done });
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  const skip = async (output: Record<string, unknown>) => {
    dispatch({ type: 'started', action: 'skip' });
    try {
      onChanged(await skipIncident(instance.id, output));
      dispatch({ type: 'succeeded', notice: 'The task was skipped; the workflow moves on.' });
    } catch (error) {
      dispatch({
        type: 'failed',
        error: errorMessage(error),
        skipErrors: errorTreeFrom(error, ['body', 'output'])?.tree,
      });
    }
  };

  return (
    <div className="flex flex-col gap-4">
      {instance.incident && (
        <Alert tone="error" title={`Incident: ${instance.incident.kind ?? 'unknown'}`}>
          {instance.incident.message}
          {instance.incident.task_key && <span className="block text-xs">Task: {instance.incident.task_key}</span>}
        </Alert>
      )}
      {available.length === 0 ? (
        <p className="text-sm text-slate-600">This workflow has ended; nothing more can be done with it.</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {available.map((action) => (
            <Button
              key={action}
              variant={action === 'cancel' ? 'danger' : 'secondary'}
              loading={state.running === action}
              disabled={state.running !== null}
              onClick={() => void run(action)}
            >
              {action === 'cancel' && state.confirming === 'cancel' ? 'Yes, cancel it' : LABELS[action].button}
            </Button>
          ))}
          {state.confirming && (
            <Button variant="ghost" onClick={() => dispatch({ type: 'confirmDismissed' })}>
              Keep it
            </Button>
          )}
        </div>
      )}
      {state.confirming === 'cancel' && (
        <Alert tone="info">Cancelling ends the workflow and its open tasks. It cannot be undone.</Alert>
      )}
      {instance.status === 'INCIDENT' && instance.incident?.task_instance_id && (
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm font-semibold">Skip the failed task…</summary>
          <p className="my-2 text-sm text-slate-600">
            Give the output the task would have produced; it is checked against the task’s output schema.
          </p>
          <SkipForm
            taskId={instance.incident.task_instance_id}
            output={state.skipOutput}
            errors={state.skipErrors}
            running={state.running === 'skip'}
            onChange={(output) => dispatch({ type: 'skipOutputChanged', output })}
            onSkip={(output) => void skip(output)}
          />
        </details>
      )}
      {state.error && <Alert tone="error">{state.error}</Alert>}
      {state.notice && <Alert tone="success">{state.notice}</Alert>}
    </div>
  );
}
