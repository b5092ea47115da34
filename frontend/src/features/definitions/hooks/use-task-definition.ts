import { getWorkflow, getWorkflowVersion } from '@/features/definitions/api/definitions';
import type {
  TaskDefinition,
  TransitionDefinition,
  VersionSummary,
  WorkflowVersion,
} from '@/features/definitions/types/definitions';
import { ApiError } from '@/lib/api-error';
import { useResource } from '@/hooks/use-resource';

export type TaskDefinitionView = {
  task: TaskDefinition;
  workflow: WorkflowVersion;
  versions: VersionSummary[];
  latestVersion: number;
  incoming: TransitionDefinition[];
  outgoing: TransitionDefinition[];
};

/** A task of a workflow version (the latest when `version` is null), with the transitions
 * into and out of it; a task the version does not have is a 404 like any missing record. */
export function useTaskDefinition(workflowKey: string, taskKey: string, version: number | null) {
  return useResource(
    async (signal): Promise<TaskDefinitionView> => {
      const head = await getWorkflow(workflowKey, signal);
      const shown = version ?? head.latest_version;
      const workflow =
        shown === head.latest_version ? head.current : await getWorkflowVersion(workflowKey, shown, signal);
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
      const outgoing = workflow.transitions
        .filter((t) => t.from === taskKey)
        .sort((a, b) => b.priority - a.priority || a.position - b.position);
      return {
        task,
        workflow,
        versions: head.versions,
        latestVersion: head.latest_version,
        incoming: workflow.transitions.filter((t) => t.to === taskKey),
        outgoing,
      };
    },
    [workflowKey, taskKey, version],
  );
}
