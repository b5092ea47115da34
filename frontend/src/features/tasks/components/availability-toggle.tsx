import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { Alert } from '@/components/ui/alert';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { getMyWorker, setAvailability } from '@/features/tasks/api/tasks';
import { errorMessage } from '@/lib/api-error';

const WORKER_KEY = ['engine', 'workers', 'me'];

/** A task worker says whether they take new tasks; going available picks up queued ones. */
export function AvailabilityToggle() {
  const queryClient = useQueryClient();
  const worker = useQuery({ queryKey: WORKER_KEY, queryFn: ({ signal }) => getMyWorker(signal) });
  const toggle = useMutation({
    mutationFn: setAvailability,
    // The answer is the worker's new state; the team's worker lists change with it.
    onSuccess: (updated) => {
      queryClient.setQueryData(WORKER_KEY, updated);
      void queryClient.invalidateQueries({ queryKey: ['engine', 'workers'], exact: true });
    },
  });

  if (worker.isError && !worker.data) {
    return (
      <ErrorState
        title="Could not load your availability"
        message={errorMessage(worker.error)}
        onRetry={() => void worker.refetch()}
      />
    );
  }
  if (!worker.data) return <LoadingState label="Loading your availability…" />;
  const available = worker.data.available;

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
          disabled={toggle.isPending}
          onClick={() => toggle.mutate(!available)}
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
      {toggle.isError && <Alert tone="error">{errorMessage(toggle.error)}</Alert>}
    </div>
  );
}
