import { useReducer } from 'react';

import { Alert } from '@/components/ui/alert';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getMyWorker, setAvailability } from '@/features/tasks/api/tasks';
import { useResource } from '@/hooks/use-resource';
import { errorMessage } from '@/lib/api-error';

type ToggleState = { saving: boolean; error: string | null };

function toggleReducer(
  _: ToggleState,
  action: { type: 'saving' } | { type: 'saved' } | { type: 'failed'; error: string },
) {
  if (action.type === 'saving') return { saving: true, error: null };
  if (action.type === 'saved') return { saving: false, error: null };
  return { saving: false, error: action.error };
}

/** A task worker says whether they take new tasks; going available picks up queued ones. */
export function AvailabilityToggle() {
  const worker = useResource((signal) => getMyWorker(signal), []);
  const [state, dispatch] = useReducer(toggleReducer, { saving: false, error: null });

  if (worker.status === 'error' && !worker.data) {
    return <ErrorState title="Could not load your availability" message={worker.error ?? ''} onRetry={worker.reload} />;
  }
  if (!worker.data) return <LoadingState label="Loading your availability…" />;
  const available = worker.data.available;

  const toggle = async () => {
    dispatch({ type: 'saving' });
    try {
      worker.replace(await setAvailability(!available));
      dispatch({ type: 'saved' });
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  return (
    <div className="flex flex-col gap-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <p id="availability-label" className="font-semibold text-slate-900">
            Available for new tasks
          </p>
          <p className="text-sm text-slate-600">
            {available
              ? `You receive new tasks. ${worker.data.open_tasks} open now.`
              : 'You are away: new tasks wait in the company queue.'}
          </p>
        </div>
        <button
          type="button"
          role="switch"
          aria-checked={available}
          aria-labelledby="availability-label"
          disabled={state.saving}
          onClick={() => void toggle()}
          className={`relative inline-flex h-7 w-12 shrink-0 items-center rounded-full transition-colors disabled:opacity-60 ${
            available ? 'bg-indigo-600' : 'bg-slate-300'
          }`}
        >
          <span
            aria-hidden="true"
            className={`inline-block h-5 w-5 rounded-full bg-white shadow transition-transform ${
              available ? 'translate-x-6' : 'translate-x-1'
            }`}
          />
        </button>
      </div>
      {state.error && <Alert tone="error">{state.error}</Alert>}
    </div>
  );
}
