import { useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { Pagination } from '@/components/ui/pagination';
import { SelectField } from '@/components/ui/select-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { taskHref } from '@/config/paths';
import { assignTask } from '@/features/assignment/api/assignment';
import {
  QUEUE_KEY,
  ROSTER_KEY,
  useAssignmentAction,
  useAssignmentQueue,
} from '@/features/assignment/hooks/use-assignment-data';
import type { RosterWorker, WaitingState, WaitingTask } from '@/features/assignment/types/assignment';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

const FILTERS: ReadonlyArray<{ value: '' | WaitingState; label: string }> = [
  { value: '', label: 'Unassigned and queued' },
  { value: 'unassigned', label: 'Unassigned: waiting for a worker' },
  { value: 'queued', label: 'Queued: assigned, not started' },
];

function workerLabel(w: RosterWorker): string {
  return `${w.display_name || w.email} — ${w.open_tasks} open, ${w.available ? 'available' : 'away'}`;
}

function AssignRow({
  task,
  roster,
  onAssigned,
}: {
  task: WaitingTask;
  roster: RosterWorker[];
  onAssigned: () => void;
}) {
  const [assignee, setAssignee] = useState('');
  const [note, setNote] = useState('');
  // The task leaves the queue (or moves to another worker's), and the workers' counts change.
  const { state, run } = useAssignmentAction([QUEUE_KEY, ROSTER_KEY, ['engine', 'tasks']]);
  const candidates = roster.filter((w) => w.is_active && w.user_id !== task.assignee_id);
  return (
    <tr className="align-top hover:bg-slate-50" aria-label={`${task.name} for ${task.ticket_number}`}>
      <td className="min-w-40 px-4 py-3">
        <Link to={taskHref(task.id)} className="font-medium text-indigo-700 hover:underline">
          {task.name}
        </Link>
        <span className="block text-xs text-slate-600">
          {task.ticket_number} · {task.ticket_title}
        </span>
        <span className="mt-1 block text-xs whitespace-nowrap text-slate-500">
          {task.assignee_id ? 'queued since' : 'waiting since'} {formatDateTime(task.assigned_at ?? task.created_at)}
        </span>
      </td>
      <td className="px-4 py-3">
        <StatusBadge status={task.status} />
        <span className="mt-1 block text-xs text-slate-600">
          {task.assignee_name ? `in ${task.assignee_name}’s queue` : 'nobody yet'}
        </span>
      </td>
      <td className="hidden min-w-36 px-4 py-3 text-sm text-slate-700 first-letter:uppercase lg:table-cell">
        {task.rule}
      </td>
      <td className="px-4 py-3">
        <form
          className="flex w-64 flex-col gap-2"
          aria-label={`Assign ${task.name} for ${task.ticket_number}`}
          onSubmit={(event) => {
            event.preventDefault();
            void run('assign', async () => {
              if (!assignee) throw new Error('Choose a worker.');
              await assignTask(task.id, assignee, task.version, note);
              onAssigned();
              return null;
            });
          }}
        >
          <SelectField
            label="Worker"
            name={`assignee-${task.id}`}
            value={assignee}
            onChange={setAssignee}
            disabled={state.running !== null}
            options={[
              { value: '', label: 'Choose a worker' },
              ...candidates.map((w) => ({ value: w.user_id, label: workerLabel(w) })),
            ]}
          />
          <label className="flex flex-col gap-1 text-sm">
            <span className="font-semibold text-slate-800">Why (optional)</span>
            <input
              name={`note-${task.id}`}
              value={note}
              maxLength={500}
              onChange={(event) => setNote(event.target.value)}
              className="rounded-md border border-slate-300 px-2 py-1.5"
            />
          </label>
          <div>
            <Button type="submit" size="small" loading={state.running === 'assign'}>
              Assign
            </Button>
          </div>
          {state.error && <Alert tone="error">{errorMessage(state.error)}</Alert>}
        </form>
      </td>
    </tr>
  );
}

function RosterCard({ roster }: { roster: RosterWorker[] }) {
  return (
    <Card title="Workers" description="Open tasks (assigned or in progress) and whether each receives tasks now.">
      {roster.length === 0 ? (
        <p className="text-sm text-slate-600">No task workers yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100" aria-label="Workers">
          {roster.map((w) => (
            <li key={w.user_id} className="flex items-center justify-between gap-3 py-2">
              <span className="min-w-0">
                <span className="block truncate font-medium text-slate-900">{w.display_name || w.email}</span>
                {w.company_roles.filter((r) => r !== 'user').length > 0 && (
                  <span className="block truncate text-xs text-slate-500">
                    {w.company_roles.filter((r) => r !== 'user').join(', ')}
                  </span>
                )}
              </span>
              <span className="flex shrink-0 items-center gap-2 text-sm">
                <span className="tabular-nums text-slate-700">{w.open_tasks} open</span>
                <span
                  className={`rounded-full px-2 py-0.5 text-xs font-medium ${
                    !w.is_active
                      ? 'bg-slate-200 text-slate-700'
                      : w.available
                        ? 'bg-green-100 text-green-800'
                        : 'bg-amber-100 text-amber-800'
                  }`}
                >
                  {!w.is_active ? 'inactive' : w.available ? 'available' : 'away'}
                </span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

/** Form tasks nobody has started, with a hand assignment per task, beside the workers' load. */
export function AssignmentQueueView() {
  const [filter, setFilter] = useState<'' | WaitingState>('');
  const [page, setPage] = useState(1);
  const { tasks, roster } = useAssignmentQueue(filter || undefined, page);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_18rem]">
      <div className="flex min-w-0 flex-col gap-4">
        <div className="max-w-sm">
          <SelectField
            label="Show"
            name="state"
            value={filter}
            options={FILTERS}
            onChange={(value) => {
              setFilter(value as '' | WaitingState);
              setPage(1);
            }}
          />
        </div>
        {notice && <Alert tone="success">{notice}</Alert>}
        {tasks.isError && <ErrorState message={errorMessage(tasks.error)} onRetry={() => void tasks.refetch()} />}
        {tasks.isPending && <LoadingState label="Loading the queue…" />}
        {tasks.data && tasks.data.items.length === 0 && (
          <EmptyState title="Nothing is waiting">Every form task has been started by its worker.</EmptyState>
        )}
        {tasks.data && tasks.data.items.length > 0 && (
          <>
            <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
              <table className="min-w-full divide-y divide-slate-200 text-left text-sm">
                <caption className="sr-only">Form tasks waiting to be started</caption>
                <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
                  <tr>
                    <th scope="col" className="px-4 py-3">
                      Task
                    </th>
                    <th scope="col" className="px-4 py-3">
                      State
                    </th>
                    <th scope="col" className="hidden px-4 py-3 lg:table-cell">
                      Rule
                    </th>
                    <th scope="col" className="px-4 py-3">
                      Assign by hand
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-100">
                  {tasks.data.items.map((task) => (
                    <AssignRow
                      key={`${task.id}-${task.version}`}
                      task={task}
                      roster={roster.data ?? []}
                      onAssigned={() => {
                        setNotice(`${task.name} (${task.ticket_number}) was assigned.`);
                      }}
                    />
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              page={page}
              pageSize={tasks.data.page_size}
              total={tasks.data.total}
              onPageChange={setPage}
              itemLabel="tasks"
            />
          </>
        )}
      </div>
      <div className="min-w-0">
        {roster.isError ? (
          <ErrorState message={errorMessage(roster.error)} onRetry={() => void roster.refetch()} />
        ) : (
          <RosterCard roster={roster.data ?? []} />
        )}
      </div>
    </div>
  );
}
