import type { ReactNode } from 'react';
import { Link, useSearchParams } from 'react-router';

import { Card } from '@/components/ui/card';
import { DetailsList } from '@/components/ui/details-list';
import { JsonView } from '@/components/ui/json-view';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { SelectField } from '@/components/ui/select-field';
import { taskDefinitionHref, workflowHref } from '@/config/paths';
import { useTaskDefinition } from '@/features/definitions/hooks/use-task-definition';
import type { TransitionDefinition } from '@/features/definitions/types/definitions';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { formatDateTime, humanize } from '@/lib/format';

function Transitions({
  title,
  transitions,
  workflowKey,
  version,
  side,
}: {
  title: string;
  transitions: TransitionDefinition[];
  workflowKey: string;
  version: number;
  side: 'from' | 'to';
}) {
  return (
    <Card title={title}>
      {transitions.length === 0 ? (
        <p className="text-sm text-slate-600">
          {side === 'to' ? 'None: reaching this task ends the workflow.' : 'None: the workflow starts here.'}
        </p>
      ) : (
        <ol className="flex flex-col gap-2 text-sm">
          {transitions.map((t) => {
            const other = side === 'to' ? t.to : t.from;
            return (
              <li key={t.id}>
                {side === 'to' ? '→ ' : '← '}
                <Link
                  to={taskDefinitionHref(workflowKey, other, version)}
                  className="font-medium text-indigo-700 hover:underline"
                >
                  {other}
                </Link>{' '}
                · priority {t.priority} · {t.condition ? <code>{t.condition}</code> : 'otherwise'}
              </li>
            );
          })}
        </ol>
      )}
    </Card>
  );
}

/** One task definition of a workflow version: what it is, what it calls or asks, where it leads. */
export function TaskDefinitionDetail({ workflowKey, taskKey }: { workflowKey: string; taskKey: string }) {
  const [params, setParams] = useSearchParams();
  const asked = Number(params.get('version'));
  const version = Number.isInteger(asked) && asked > 0 ? asked : null;
  const view = useTaskDefinition(workflowKey, taskKey, version);
  useDocumentTitle(view.data ? `${view.data.task.name} · ${view.data.workflow.name}` : 'Task');

  return (
    <ResourceGate resource={view} loadingLabel="Loading the task…" thing="task">
      {({ task, workflow, versions, latestVersion, incoming, outgoing }) => (
        <>
          <PageHeader
            title={task.name}
            description={
              <>
                <code>{task.key}</code> · {humanize(task.task_type)} · task of{' '}
                <Link to={workflowHref(workflow.key)} className="text-indigo-700 hover:underline">
                  {workflow.name}
                </Link>{' '}
                version {workflow.version}
                {workflow.version === latestVersion ? ' (latest)' : ''}
              </>
            }
          />
          <div className="mb-4 max-w-xs">
            <SelectField
              label="Workflow version"
              name="version"
              value={String(workflow.version)}
              onChange={(v) => setParams({ version: v })}
              options={versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }))}
            />
          </div>
          <div className="grid gap-6 lg:grid-cols-2">
            <Card title="Definition">
              <DetailsList
                items={[
                  ['Type', humanize(task.task_type)],
                  ['Description', task.description || '—'],
                  ['Starts the workflow', workflow.start_task === task.key ? 'Yes' : 'No'],
                  ...(task.action_url
                    ? ([
                        [
                          'Calls',
                          <code key="url" className="break-all">
                            {task.action_url}
                          </code>,
                        ],
                        ['Timeout', task.timeout_seconds ? `${task.timeout_seconds} s` : 'default'],
                        ['Retries', task.max_retries ?? 'default'],
                      ] as Array<[string, ReactNode]>)
                    : []),
                  ['Input transform', task.input_transform ? <code key="in">{task.input_transform}</code> : '—'],
                  ['Output transform', task.output_transform ? <code key="out">{task.output_transform}</code> : '—'],
                  ['Published', formatDateTime(workflow.created_at)],
                ]}
              />
            </Card>
            <div className="flex flex-col gap-6">
              <Transitions
                title="Leads to (tried in this order)"
                transitions={outgoing}
                workflowKey={workflow.key}
                version={workflow.version}
                side="to"
              />
              <Transitions
                title="Reached from"
                transitions={incoming}
                workflowKey={workflow.key}
                version={workflow.version}
                side="from"
              />
            </div>
            <Card title={task.task_type === 'FORM' ? 'Form (output schema)' : 'Output schema'}>
              <JsonView label={`Output schema of ${task.key}`} value={task.output_schema} />
            </Card>
            <Card title="Input schema">
              <JsonView label={`Input schema of ${task.key}`} value={task.input_schema} />
            </Card>
          </div>
        </>
      )}
    </ResourceGate>
  );
}
