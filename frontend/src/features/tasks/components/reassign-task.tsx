import { useQuery } from '@tanstack/react-query';
import { useReducer } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { listWorkers, reassignTask } from '@/features/tasks/api/tasks';
import type { TaskDetail } from '@/features/tasks/types/tasks';
import { errorMessage } from '@/lib/api-error';

type State = { assignee: string; note: string; saving: boolean; error: string | null; notice: string | null };
type Action =
  | { type: 'picked'; assignee: string }
  | { type: 'noted'; note: string }
  | { type: 'saving' }
  | { type: 'saved'; notice: string }
  | { type: 'failed'; error: string };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'picked':
      return { ...state, assignee: action.assignee, error: null, notice: null };
    case 'noted':
      return { ...state, note: action.note };
    case 'saving':
      return { ...state, saving: true, error: null, notice: null };
    case 'saved':
      return { ...state, saving: false, note: '', notice: action.notice };
    case 'failed':
      return { ...state, saving: false, error: action.error };
  }
}

/** The ticket team hands an open form task to another active worker. */
export function ReassignTask({ task, onChanged }: { task: TaskDetail; onChanged: (task: TaskDetail) => void }) {
  const workers = useQuery({ queryKey: ['engine', 'workers'], queryFn: ({ signal }) => listWorkers(signal) });
  const [state, dispatch] = useReducer(reducer, {
    assignee: '',
    note: '',
    saving: false,
    error: null,
    notice: null,
  });
  const candidates = (workers.data ?? []).filter((w) => w.is_active && w.user_id !== task.assignee_id);

  const submit = async () => {
    if (!state.assignee) {
      dispatch({ type: 'failed', error: 'Choose a worker.' });
      return;
    }
    dispatch({ type: 'saving' });
    try {
      const updated = await reassignTask(task.id, state.assignee, task.version, state.note);
      const name = candidates.find((w) => w.user_id === state.assignee)?.display_name ?? 'the worker';
      dispatch({ type: 'saved', notice: `Reassigned to ${name}.` });
      onChanged(updated);
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  return (
    <form
      className="flex flex-col gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <SelectField
        label="New assignee"
        name="assignee_id"
        value={state.assignee}
        onChange={(assignee) => dispatch({ type: 'picked', assignee })}
        options={[
          { value: '', label: workers.data ? 'Choose a worker' : 'Loading workers…' },
          ...candidates.map((w) => ({
            value: w.user_id,
            label: `${w.display_name || w.email} (${w.open_tasks} open${w.available ? '' : ', away'})`,
          })),
        ]}
      />
      <TextField
        label="Why (optional)"
        name="note"
        value={state.note}
        onChange={(note) => dispatch({ type: 'noted', note })}
      />
      <div>
        <Button type="submit" variant="secondary" loading={state.saving}>
          Reassign
        </Button>
      </div>
      {state.error && <Alert tone="error">{state.error}</Alert>}
      {state.notice && <Alert tone="success">{state.notice}</Alert>}
    </form>
  );
}
