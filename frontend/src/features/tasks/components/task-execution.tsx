import { useReducer } from 'react';

import { LayoutForm } from '@/components/custom-layout/custom-layout';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { completeTask, startTask } from '@/features/tasks/api/tasks';
import { initialTaskExecutionState, taskExecutionReducer } from '@/features/tasks/hooks/task-execution-reducer';
import type { TaskDetail } from '@/features/tasks/types/tasks';
import { ApiError, errorMessage } from '@/lib/api-error';
import { errorTreeFrom } from '@/lib/error-schema';

type TaskExecutionProps = {
  task: TaskDetail;
  /** The task as the server answered after an action. */
  onChanged: (task: TaskDetail) => void;
  onReload: () => void;
};

/** The worker fills in the form generated from the task's output schema and completes it. */
export function TaskExecution({ task, onChanged, onReload }: TaskExecutionProps) {
  const [state, dispatch] = useReducer(taskExecutionReducer, task.output ?? {}, initialTaskExecutionState);

  const start = async () => {
    dispatch({ type: 'submitted' });
    try {
      onChanged(await startTask(task.id));
      dispatch({ type: 'completed' });
    } catch (error) {
      dispatch({ type: 'failed', message: errorMessage(error) });
    }
  };

  const complete = async (output: Record<string, unknown>) => {
    if (state.submitting) return;
    dispatch({ type: 'submitted' });
    try {
      const done = await completeTask(task.id, output, task.version);
      dispatch({ type: 'completed' });
      onChanged(done);
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        dispatch({ type: 'conflicted', message: errorMessage(error) });
        return;
      }
      const placed = errorTreeFrom(error, ['body', 'output']);
      if (placed) {
        dispatch({
          type: 'invalid',
          serverErrors: placed.tree,
          formError:
            placed.unplaced.length > 0
              ? placed.unplaced.join(' ')
              : 'The output does not match what this task needs; see the fields marked below.',
        });
      } else {
        dispatch({ type: 'failed', message: errorMessage(error) });
      }
    }
  };

  return (
    <div className="flex flex-col gap-4">
      {task.status === 'ASSIGNED' && (
        <p className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
          Let others know you are on it:
          <Button variant="secondary" size="small" onClick={() => void start()} disabled={state.submitting}>
            Start task
          </Button>
        </p>
      )}
      <FormError message={state.formError} />
      {state.conflict && (
        <div>
          <Button variant="secondary" onClick={onReload}>
            Reload the task
          </Button>
        </div>
      )}
      <LayoutForm
        idPrefix="output"
        title={`${task.name} form`}
        data={task.data}
        schema={task.output_schema}
        layout={task.edit_layout}
        formData={state.output}
        serverErrors={state.serverErrors}
        disabled={state.submitting}
        onChange={(output) => dispatch({ type: 'outputChanged', output })}
        onSubmit={(output) => void complete(output)}
      >
        <Button type="submit" loading={state.submitting}>
          Complete task
        </Button>
      </LayoutForm>
    </div>
  );
}
