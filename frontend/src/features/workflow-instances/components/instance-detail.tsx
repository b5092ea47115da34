import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';

import { LayoutView } from '@/components/custom-layout/custom-layout';
import { Card } from '@/components/ui/card';
import { JsonView } from '@/components/ui/json-view';
import { OutcomeBadge, OutcomePanel } from '@/components/ui/outcome-badge';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { ResourceGate } from '@/components/ui/resource-gate';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { StatusBadge } from '@/components/ui/status-badge';
import { Timestamp } from '@/components/ui/timestamp';
import { WorkflowGraph } from '@/components/workflow-graph/workflow-graph';
import { taskHref, ticketHref } from '@/config/paths';
import { getInstance, getInstanceHistory, getWorkflowGraph } from '@/features/workflow-instances/api/instances';
import { InstanceActions } from '@/features/workflow-instances/components/instance-actions';
import type { Decision, WorkflowInstanceDetail } from '@/features/workflow-instances/types/instances';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { errorMessage } from '@/lib/api-error';
import { humanize } from '@/lib/format';
import { actorLabel } from '@/lib/people';

const ENDED = ['COMPLETED', 'CANCELLED'];

/** What a workflow's display layout is given: the instance's data and where it stands. */
function layoutContext(instance: WorkflowInstanceDetail): Record<string, unknown> {
  return {
    status: instance.status,
    ticket_number: instance.ticket_number,
    current_task: instance.current_task?.name ?? null,
    path: instance.path.map((step) => ({
      sequence: step.sequence,
      task_key: step.task_key,
      name: step.name,
      status: step.status,
    })),
  };
}

/** The workflow's own display layout (when it has one) and the graph with this instance's path. */
function InstanceGraph({ instance }: { instance: WorkflowInstanceDetail }) {
  const graph = useQuery({
    queryKey: ['definitions', 'workflows', 'graph', instance.workflow_key, instance.workflow_version],
    queryFn: ({ signal }) => getWorkflowGraph(instance.workflow_key, instance.workflow_version, signal),
  });
  const context = useMemo(() => layoutContext(instance), [instance]);
  let body;
  if (graph.isError) body = <ErrorState message={errorMessage(graph.error)} onRetry={() => void graph.refetch()} />;
  else if (!graph.data) body = <LoadingState label="Loading the workflow graph…" />;
  else
    body = (
      <WorkflowGraph
        graph={graph.data}
        path={instance.path.map((step) => step.task_key)}
        // A finished workflow has no current task, only the path it took.
        currentTask={ENDED.includes(instance.status) ? null : (instance.current_task?.task_key ?? null)}
        label={`Workflow ${instance.workflow_key} version ${instance.workflow_version}, with this instance's path`}
      />
    );
  return (
    <>
      {graph.data?.display_layout ? (
        <Card title="Overview">
          <LayoutView
            title={`Workflow of ${instance.ticket_number}`}
            layout={graph.data.display_layout}
            data={instance.workflow_data}
            context={context}
          />
        </Card>
      ) : null}
      <Card title="Graph">{body}</Card>
    </>
  );
}

function Decisions({ decisions }: { decisions: Decision[] }) {
  if (decisions.length === 0) return <p className="text-sm text-slate-600">No decisions yet.</p>;
  return (
    <ol className="flex flex-col gap-3">
      {decisions.map((decision) => (
        <li key={`${decision.from_task_instance_id}-${decision.created_at}`} className="text-sm">
          <p className="font-medium">
            {decision.from_task_key} → {decision.to_task_key ?? 'end'} <StatusBadge status={decision.outcome} />
          </p>
          <p className="text-slate-700">{decision.reason}</p>
          {decision.tried.length > 0 && (
            <details>
              <summary className="cursor-pointer text-xs text-indigo-700">Conditions tried</summary>
              <JsonView label="Conditions tried" value={decision.tried} />
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}

function InstanceHistory({ instanceId, version }: { instanceId: string; version: string }) {
  const [page, setPage] = useState(1);
  const history = useQuery({
    queryKey: ['engine', 'instances', 'history', instanceId, page, version],
    queryFn: ({ signal }) => getInstanceHistory(instanceId, page, signal),
  });
  if (history.isError)
    return <ErrorState message={errorMessage(history.error)} onRetry={() => void history.refetch()} />;
  if (!history.data) return <LoadingState label="Loading history…" />;
  return (
    <>
      <ol className="flex flex-col divide-y divide-slate-100">
        {history.data.items.map((entry) => (
          <li key={entry.id} className="py-2 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <span className="font-medium">{humanize(entry.action)}</span>
              <Timestamp className="text-xs text-slate-500" value={entry.occurred_at} />
            </div>
            <p className="text-slate-700">{entry.detail}</p>
            <p className="text-xs text-slate-500" data-testid="history-actor">
              by {actorLabel(entry)}
            </p>
          </li>
        ))}
      </ol>
      {history.data.total > history.data.page_size && (
        <Pagination
          page={page}
          pageSize={history.data.page_size}
          total={history.data.total}
          itemLabel="entries"
          onPageChange={setPage}
        />
      )}
    </>
  );
}

export function InstanceDetailView({ instanceId }: { instanceId: string }) {
  const queryClient = useQueryClient();
  const queryKey = ['engine', 'instances', instanceId];
  const instance = useQuery({ queryKey, queryFn: ({ signal }) => getInstance(instanceId, signal) });
  // An action answers with the workflow's new state; its ticket and tasks change with it.
  const changed = (updated: WorkflowInstanceDetail) => {
    queryClient.setQueryData(queryKey, updated);
    void queryClient.invalidateQueries({ queryKey: ['tickets', 'tickets'] });
    void queryClient.invalidateQueries({ queryKey: ['engine', 'tasks'] });
  };
  useDocumentTitle(instance.data ? `Workflow of ${instance.data.ticket_number}` : 'Workflow');
  return (
    <ResourceGate resource={instance} loadingLabel="Loading the workflow…" thing="workflow">
      {(data) => (
        <>
          <PageHeader
            title={`Workflow of ${data.ticket_number}`}
            description={
              <span className="flex flex-wrap items-center gap-2">
                <StatusBadge status={data.status} muted={Boolean(data.outcome)} />
                {data.outcome && <OutcomeBadge outcome={data.outcome} />}
                <span>
                  {data.workflow_key} v{data.workflow_version} ·{' '}
                  <Link to={ticketHref(data.ticket_id)} className="text-indigo-700 underline">
                    {data.ticket_title}
                  </Link>
                </span>
              </span>
            }
          />
          <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
            <div className="flex min-w-0 flex-col gap-6">
              {data.outcome && <OutcomePanel outcome={data.outcome} />}
              <InstanceGraph instance={data} />
              <Card title="Path taken">
                <ol className="flex flex-col gap-1 text-sm">
                  {data.path.map((step) => (
                    <li key={step.task_instance_id} className="flex flex-wrap items-center gap-2">
                      <span className="text-slate-500">{step.sequence}.</span>
                      <Link to={taskHref(step.task_instance_id)} className="text-indigo-700 underline">
                        {step.name}
                      </Link>
                      <StatusBadge status={step.status} />
                    </li>
                  ))}
                </ol>
              </Card>
              <Card title="Decisions">
                <Decisions decisions={data.decisions} />
              </Card>
              <Card title="History">
                <InstanceHistory instanceId={data.id} version={`${data.status}-${data.updated_at}`} />
              </Card>
            </div>
            <div className="flex min-w-0 flex-col gap-6">
              <Card title="Actions">
                <InstanceActions instance={data} onChanged={changed} />
              </Card>
              <Card title="Workflow data">
                <JsonView label="Workflow data" value={data.workflow_data} />
              </Card>
            </div>
          </div>
        </>
      )}
    </ResourceGate>
  );
}
