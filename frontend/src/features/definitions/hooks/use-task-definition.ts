import { useQuery } from '@tanstack/react-query';

import { getWorkflow, getWorkflowVersion } from '@/features/definitions/api/definitions';
import type {
  TaskDefinition,
  TransitionDefinition,
  VersionSummary,
  WorkflowVersion,
} from '@/features/definitions/types/definitions';
import { ApiError } from '@/lib/api-error';

export type TaskDefinitionView = {
  task: TaskDefinition;
  workflow: WorkflowVersion;
  versions: VersionSummary[];
  latestVersion: number;
  incoming: TransitionDefinition[];
  outgoing: TransitionDefinition[];
};

async function loadTask(
  workflowKey: string,
  taskKey: string,
  version: number | null,
  signal: AbortSignal,
): Promise<TaskDefinitionView> {
  const head = await getWorkflow(workflowKey, signal);
  const shown = version ?? head.latest_version;
  const workflow = shown === head.latest_version ? head.current : await getWorkflowVersion(workflowKey, shown, signal);
  const task = workflow.tasks.find((t) => t.key === taskKey);
  if (!task) {
    throw new ApiError({
      type: 'about:blank',
      title: 'Not found',
      status: 404,
      detail: `Version ${shown} of workflow ${workflowKey} has no task ${taskKey}.`,
      errors: [],
    });
  }
  // The order the engine tries them in: highest priority first, ties in definition order.
  const outgoing = workflow.transitions
    .filter((t) => t.from === taskKey)
    .sort((a, b) => (b.priority ?? 0) - (a.priority ?? 0) || a.position - b.position);
  return {
    task,
    workflow,
    versions: head.versions,
    latestVersion: head.latest_version,
    incoming: workflow.transitions.filter((t) => t.to === taskKey),
    outgoing,
  };
}

/** A task of a workflow version (the latest when `version` is null), with the transitions into
 * and out of it; a task the version does not have is a 404 like any missing record. */
export function useTaskDefinition(workflowKey: string, taskKey: string, version: number | null) {
  return useQuery({
    queryKey: ['definitions', 'workflows', workflowKey, 'task', taskKey, version],
    queryFn: ({ signal }) => loadTask(workflowKey, taskKey, version, signal),
  });
}
