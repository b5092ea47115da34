import { useQuery } from '@tanstack/react-query';
import { useReducer, useState } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button, buttonClassName } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { JsonView } from '@/components/ui/json-view';
import { PageHeader } from '@/components/ui/page-header';
import { ResourceGate } from '@/components/ui/resource-gate';
import { SelectField } from '@/components/ui/select-field';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { Tabs } from '@/components/ui/tabs';
import { WorkflowGraph } from '@/components/workflow-graph/workflow-graph';
import { editBundleHref, taskDefinitionHref } from '@/config/paths';
import {
  archiveWorkflow,
  exportWorkflow,
  getWorkflow,
  getWorkflowGraph,
  getWorkflowVersion,
} from '@/features/definitions/api/definitions';
import { DryRunPanel } from '@/features/definitions/components/dry-run-panel';
import { JsonataPreviewPanel, type NamedExpression } from '@/features/definitions/components/jsonata-preview-panel';
import { VersionDiff } from '@/features/definitions/components/version-diff';
import type { TaskDefinition, WorkflowDetail, WorkflowVersion } from '@/features/definitions/types/definitions';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { errorMessage } from '@/lib/api-error';
import { saveBlob } from '@/lib/download';
import { formatDateTime, humanize } from '@/lib/format';

const TABS = [
  { key: 'graph', label: 'Graph' },
  { key: 'tasks', label: 'Tasks and transitions' },
  { key: 'versions', label: 'Versions' },
  { key: 'compare', label: 'Compare versions' },
  { key: 'dry-run', label: 'Dry run' },
  { key: 'jsonata', label: 'JSONata preview' },
] as const;
type TabKey = (typeof TABS)[number]['key'];

type State = {
  tab: TabKey;
  version: number | null;
  dryRunPath: string[];
  busy: 'export' | 'archive' | null;
  message: { tone: 'error' | 'success'; text: string } | null;
};
type Action =
  | { type: 'tabSelected'; tab: TabKey }
  | { type: 'versionSelected'; version: number }
  | { type: 'dryRunWalked'; path: string[] }
  | { type: 'started'; busy: 'export' | 'archive' }
  | { type: 'finished'; message: State['message'] };

function reducer(state: State, action: Action): State {
  switch (action.type) {
    case 'tabSelected':
      return { ...state, tab: action.tab };
    case 'versionSelected':
      return { ...state, version: action.version, dryRunPath: [] };
    case 'dryRunWalked':
      return { ...state, dryRunPath: action.path };
    case 'started':
      return { ...state, busy: action.busy, message: null };
    case 'finished':
      return { ...state, busy: null, message: action.message };
  }
}

function expressionsOf(version: WorkflowVersion): NamedExpression[] {
  const fromTasks = version.tasks.flatMap((task) => [
    ...(task.input_transform ? [{ label: `${task.key}: input transform`, expression: task.input_transform }] : []),
    ...(task.output_transform ? [{ label: `${task.key}: output transform`, expression: task.output_transform }] : []),
  ]);
  const fromTransitions = version.transitions
    .filter((t) => t.condition)
    .map((t) => ({ label: `${t.from} → ${t.to}: condition`, expression: t.condition ?? '' }));
  return [...fromTransitions, ...fromTasks];
}

function VersionBody({
  workflow,
  state,
  dispatch,
}: {
  workflow: WorkflowDetail;
  state: State;
  dispatch: (a: Action) => void;
}) {
  const version = state.version ?? workflow.latest_version;
  const detail = useQuery({
    queryKey: ['definitions', 'workflows', 'version', workflow.key, version],
    queryFn: ({ signal }) => getWorkflowVersion(workflow.key, version, signal),
  });
  const graph = useQuery({
    queryKey: ['definitions', 'workflows', 'graph', workflow.key, version],
    queryFn: ({ signal }) => getWorkflowGraph(workflow.key, version, signal),
  });

  if (state.tab === 'versions') {
    return (
      <ol className="flex flex-col divide-y divide-slate-100 text-sm">
        {workflow.versions.map((v) => (
          <li key={v.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <span className="font-medium">Version {v.version}</span> · {v.name} · {formatDateTime(v.created_at)}
            </span>
            <Button
              variant="ghost"
              size="small"
              onClick={() => dispatch({ type: 'versionSelected', version: v.version })}
            >
              {v.version === version ? 'Shown' : 'Show this version'}
            </Button>
          </li>
        ))}
      </ol>
    );
  }
  if (state.tab === 'compare') {
    return <VersionDiff kind="workflow" definitionKey={workflow.key} versions={workflow.versions} />;
  }
  if (state.tab === 'graph') {
    if (graph.isError) return <ErrorState message={errorMessage(graph.error)} onRetry={() => void graph.refetch()} />;
    if (!graph.data) return <LoadingState label="Loading the graph…" />;
    return (
      <WorkflowGraph
        graph={graph.data}
        path={state.dryRunPath}
        label={`Graph of workflow ${workflow.key} version ${version}`}
      />
    );
  }
  if (state.tab === 'dry-run') {
    return (
      <div className="flex flex-col gap-4">
        <DryRunPanel
          target={{ workflow_key: workflow.key, version }}
          onPath={(path) => dispatch({ type: 'dryRunWalked', path })}
        />
        {state.dryRunPath.length > 0 && graph.data && (
          <WorkflowGraph graph={graph.data} path={state.dryRunPath} label="The dry run's path on the workflow" />
        )}
      </div>
    );
  }
  if (detail.isError) return <ErrorState message={errorMessage(detail.error)} onRetry={() => void detail.refetch()} />;
  if (!detail.data) return <LoadingState label="Loading the version…" />;
  if (state.tab === 'jsonata') return <JsonataPreviewPanel key={version} expressions={expressionsOf(detail.data)} />;
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm">
        Starts at <code>{detail.data.start_task}</code>.
      </p>
      {detail.data.tasks.map((task) => (
        <details key={task.id} className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm">
            <span className="font-medium">{task.name}</span> <code className="text-slate-600">{task.key}</code> ·{' '}
            {humanize(task.task_type)} ·{' '}
            <Link to={taskDefinitionHref(workflow.key, task.key, version)} className="text-indigo-700 hover:underline">
              Open task
            </Link>
          </summary>
          <div className="mt-2 flex flex-col gap-2 text-sm">
            {task.description && <p>{task.description}</p>}
            {task.action_url && (
              <p>
                Calls <code className="break-all">{task.action_url}</code> (timeout {task.timeout_seconds ?? '—'} s,
                retries {task.max_retries ?? '—'})
              </p>
            )}
            {task.assignment && <p>Assigned by its rule: {assignmentRule(task.assignment)}</p>}
            {task.input_transform && (
              <p>
                Input transform: <code>{task.input_transform}</code>
              </p>
            )}
            {task.output_transform && (
              <p>
                Output transform: <code>{task.output_transform}</code>
              </p>
            )}
            <JsonView label={`Output schema of ${task.key}`} value={task.output_schema} />
          </div>
        </details>
      ))}
      <h3 className="text-sm font-semibold">Transitions</h3>
      <ul className="flex flex-col gap-1 text-sm">
        {detail.data.transitions.map((t) => (
          <li key={t.id}>
            <code>{t.from}</code> → <code>{t.to}</code> · priority {t.priority} ·{' '}
            {t.condition ? <code>{t.condition}</code> : 'otherwise'}
          </li>
        ))}
      </ul>
    </div>
  );
}

type TaskAssignment = NonNullable<TaskDefinition['assignment']>;

/** A task's assignment rule in words, as its bundle states it. */
function assignmentRule(rule: TaskAssignment): string {
  const pick = 'pick' in rule && rule.pick === 'round_robin' ? ', in turn' : '';
  if (rule.strategy === 'group') return `the members of group ${rule.group}${pick}`;
  if (rule.strategy === 'company_role') return `the holders of company role ${rule.company_role}${pick}`;
  return rule.strategy === 'round_robin' ? 'round robin' : 'shortest queue';
}

export function WorkflowDetailView({ workflowKey }: { workflowKey: string }) {
  const workflow = useQuery({
    queryKey: ['definitions', 'workflows', workflowKey],
    queryFn: ({ signal }) => getWorkflow(workflowKey, signal),
  });
  const [state, dispatch] = useReducer(reducer, {
    tab: 'graph',
    version: null,
    dryRunPath: [],
    busy: null,
    message: null,
  });
  const [confirmingArchive, setConfirmingArchive] = useState(false);
  useDocumentTitle(workflow.data?.name ?? 'Workflow');

  const download = async (format: 'yaml' | 'json', version: number) => {
    dispatch({ type: 'started', busy: 'export' });
    try {
      const text = await exportWorkflow(workflowKey, format, version);
      saveBlob(
        new Blob([text], { type: format === 'yaml' ? 'application/yaml' : 'application/json' }),
        `${workflowKey}-v${version}.${format}`,
      );
      dispatch({ type: 'finished', message: null });
    } catch (error) {
      dispatch({ type: 'finished', message: { tone: 'error', text: errorMessage(error) } });
    }
  };

  const archive = async () => {
    setConfirmingArchive(false);
    dispatch({ type: 'started', busy: 'archive' });
    try {
      await archiveWorkflow(workflowKey);
      void workflow.refetch();
      dispatch({ type: 'finished', message: { tone: 'success', text: 'The workflow was archived.' } });
    } catch (error) {
      dispatch({ type: 'finished', message: { tone: 'error', text: errorMessage(error) } });
    }
  };

  return (
    <ResourceGate resource={workflow} loadingLabel="Loading the workflow…" thing="workflow">
      {(data) => {
        const version = state.version ?? data.latest_version;
        return (
          <>
            <PageHeader
              title={data.name}
              description={
                <>
                  <code>{data.key}</code> · latest version {data.latest_version}
                  {data.archived && ' · archived'} · {data.description}
                </>
              }
              actions={
                <>
                  <Link to={editBundleHref(data.key)} className={buttonClassName({ variant: 'secondary' })}>
                    Edit
                  </Link>
                  <Button
                    variant="secondary"
                    loading={state.busy === 'export'}
                    onClick={() => void download('yaml', version)}
                  >
                    Export YAML
                  </Button>
                  <Button variant="ghost" onClick={() => void download('json', version)}>
                    Export JSON
                  </Button>
                  {!data.archived && !confirmingArchive && (
                    <Button
                      variant="dangerOutline"
                      loading={state.busy === 'archive'}
                      onClick={() => setConfirmingArchive(true)}
                    >
                      Archive
                    </Button>
                  )}
                </>
              }
            />
            {confirmingArchive && (
              <div className="mb-4 flex flex-wrap items-center gap-3 rounded-lg border border-slate-200 bg-white p-3">
                <p className="text-sm font-medium text-slate-900">
                  Archive {data.name}? It starts nothing new; workflows already running keep their version.
                </p>
                <Button variant="danger" size="small" onClick={() => void archive()}>
                  Yes, archive
                </Button>
                <Button variant="secondary" size="small" autoFocus onClick={() => setConfirmingArchive(false)}>
                  Cancel
                </Button>
              </div>
            )}
            {state.message && <Alert tone={state.message.tone}>{state.message.text}</Alert>}
            {/* Comparing picks its own two versions: one shown version would only confuse it. */}
            {state.tab !== 'compare' && (
              <div className="mb-4 max-w-xs">
                <SelectField
                  label="Version"
                  name="version"
                  value={String(version)}
                  onChange={(v) => dispatch({ type: 'versionSelected', version: Number(v) })}
                  options={data.versions.map((v) => ({ value: String(v.version), label: `Version ${v.version}` }))}
                />
              </div>
            )}
            <Card>
              <Tabs
                label="Workflow views"
                tabs={TABS}
                selected={state.tab}
                onSelect={(tab) => dispatch({ type: 'tabSelected', tab })}
              />
              <VersionBody workflow={data} state={state} dispatch={dispatch} />
            </Card>
          </>
        );
      }}
    </ResourceGate>
  );
}
