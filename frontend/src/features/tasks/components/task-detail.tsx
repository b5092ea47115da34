import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

import { LayoutView } from '@/components/custom-layout/custom-layout';
import { DataSections } from '@/components/json-schema-form/data-sections';
import { Alert } from '@/components/ui/alert';
import { Card } from '@/components/ui/card';
import { DetailsList } from '@/components/ui/details-list';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { StatusBadge } from '@/components/ui/status-badge';
import { Timestamp } from '@/components/ui/timestamp';
import { ticketHref } from '@/config/paths';
import { getTask } from '@/features/tasks/api/tasks';
import { AssignmentRecordList } from '@/features/tasks/components/assignment-record';
import { ReassignTask } from '@/features/tasks/components/reassign-task';
import { HistoryList } from '@/features/tasks/components/task-history';
import { TaskExecution } from '@/features/tasks/components/task-execution';
import type { TaskDetail } from '@/features/tasks/types/tasks';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { humanize } from '@/lib/format';

type TaskDetailViewProps = {
  taskId: string;
  userId: string;
  /** Ticket team (or admin): sees the workflow and may reassign. */
  canManage: boolean;
  /** Link to the workflow instance, composed by the app for the ticket team. */
  instanceLink?: (instanceId: string) => ReactNode;
};

const OPEN = ['ASSIGNED', 'IN_PROGRESS'];

function assigneeLabel(task: TaskDetail, userId: string): string {
  if (!task.assignee_id) return task.task_type === 'FORM' ? 'Nobody yet: waiting in the queue' : 'Run by the system';
  const name = task.assignee_name ?? 'a worker of your company';
  return task.assignee_id === userId ? `${name} (you)` : name;
}

function isMine(task: TaskDetail, userId: string) {
  return task.task_type === 'FORM' && task.assignee_id === userId && OPEN.includes(task.status);
}

export function TaskDetailView({ taskId, userId, canManage, instanceLink }: TaskDetailViewProps) {
  const queryClient = useQueryClient();
  const queryKey = ['engine', 'tasks', taskId];
  const task = useQuery({ queryKey, queryFn: ({ signal }) => getTask(taskId, signal) });
  // An action answers with the task's new state: shown at once; the task lists change with it.
  const changed = (updated: TaskDetail) => {
    queryClient.setQueryData(queryKey, updated);
    void queryClient.invalidateQueries({ queryKey: ['engine', 'tasks', 'list'] });
    void queryClient.invalidateQueries({ queryKey: ['engine', 'tasks', 'mine'] });
  };
  useDocumentTitle(task.data ? task.data.name : 'Task');

  return (
    <ResourceGate resource={task} loadingLabel="Loading the task…" thing="task">
      {(data) => (
        <>
          <PageHeader
            title={data.name}
            description={
              <span className="flex flex-wrap items-center gap-2">
                <StatusBadge status={data.status} />
                <span>{humanize(data.task_type)}</span>
                <span>
                  · ticket{' '}
                  <Link to={ticketHref(data.ticket_id)} className="text-indigo-700 underline">
                    {data.ticket_number}
                  </Link>{' '}
                  {data.ticket_title}
                </span>
              </span>
            }
          />
          <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
            <div className="flex min-w-0 flex-col gap-6">
              {data.description && <p className="text-slate-700">{data.description}</p>}
              {data.error && (
                <Alert tone="error" title="The task failed">
                  {data.error}
                </Alert>
              )}
              <Card title="Input" description="The workflow data this task works on.">
                <LayoutView
                  title={`${data.name} input`}
                  data={data.data}
                  layout={data.display_layout}
                  schema={data.input_schema}
                />
              </Card>
              {isMine(data, userId) ? (
                <Card title="Your answer">
                  <TaskExecution
                    key={data.version}
                    task={data}
                    onChanged={changed}
                    onReload={() => void task.refetch()}
                  />
                </Card>
              ) : (
                data.output && (
                  <Card title="Output">
                    <DataSections data={data.output} schema={data.output_schema} />
                  </Card>
                )
              )}
              <Card title="History">
                <HistoryList entries={data.history} />
              </Card>
            </div>
            <div className="flex min-w-0 flex-col gap-6">
              <Card title="Details">
                <DetailsList
                  items={[
                    ['Assignee', <span data-testid="task-assignee">{assigneeLabel(data, userId)}</span>],
                    ['Task key', data.task_key],
                    ['Attempt', String(data.attempt)],
                    ['Assigned', <Timestamp value={data.assigned_at} />],
                    ['Started', <Timestamp value={data.started_at} />],
                    ['Completed', <Timestamp value={data.completed_at} />],
                    ['Workflow', humanize(data.workflow_status)],
                  ]}
                />
                {canManage && instanceLink && <div className="mt-4">{instanceLink(data.workflow_instance_id)}</div>}
              </Card>
              {data.task_type === 'FORM' && (
                <Card title="Why this assignee">
                  <AssignmentRecordList records={data.assignments} explanation={data.assignment_explanation} />
                </Card>
              )}
              {canManage && data.task_type === 'FORM' && ['PENDING', ...OPEN].includes(data.status) && (
                <Card title="Reassign">
                  <ReassignTask task={data} onChanged={changed} />
                </Card>
              )}
            </div>
          </div>
        </>
      )}
    </ResourceGate>
  );
}
