import { Link } from 'react-router';

import { DueDate } from '@/components/ui/due-date';
import { StatusBadge } from '@/components/ui/status-badge';
import { Timestamp } from '@/components/ui/timestamp';
import { taskHref } from '@/config/paths';
import type { Task } from '@/features/tasks/types/tasks';
import { humanize } from '@/lib/format';

type TasksTableProps = {
  tasks: Task[];
  caption: string;
  busy?: boolean;
  /** Names for assignee ids, when the caller knows the workers. */
  assignees?: Map<string, string>;
};

export function TasksTable({ tasks, caption, busy = false, assignees }: TasksTableProps) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
      <table className="min-w-full divide-y divide-slate-200 text-left text-sm" aria-busy={busy || undefined}>
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="px-4 py-3">
              Task
            </th>
            <th scope="col" className="px-4 py-3">
              Ticket
            </th>
            <th scope="col" className="hidden px-4 py-3 md:table-cell">
              Type
            </th>
            <th scope="col" className="px-4 py-3">
              Status
            </th>
            {assignees && (
              <th scope="col" className="hidden px-4 py-3 lg:table-cell">
                Assignee
              </th>
            )}
            <th scope="col" className="px-4 py-3">
              Due
            </th>
            <th scope="col" className="hidden px-4 py-3 sm:table-cell">
              Created
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tasks.map((task) => (
            <tr key={task.id} className="hover:bg-slate-50">
              <td className="px-4 py-3 font-medium">
                <Link to={taskHref(task.id)} className="text-indigo-700 hover:underline">
                  {task.name}
                </Link>
              </td>
              <td className="px-4 py-3 text-slate-800">
                {task.ticket_number} · {task.ticket_title}
              </td>
              <td className="hidden px-4 py-3 text-slate-700 md:table-cell">{humanize(task.task_type)}</td>
              <td className="px-4 py-3">
                <StatusBadge status={task.status} />
              </td>
              {assignees && (
                <td className="hidden px-4 py-3 text-slate-700 lg:table-cell">
                  {task.assignee_id ? (task.assignee_name ?? assignees.get(task.assignee_id) ?? 'Unknown worker') : '—'}
                </td>
              )}
              <td className="px-4 py-3 whitespace-nowrap text-slate-700">
                <DueDate due={task.due_at} overdue={task.overdue} />
              </td>
              <td className="hidden px-4 py-3 whitespace-nowrap text-slate-700 sm:table-cell">
                <Timestamp value={task.created_at} mode="relative" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
