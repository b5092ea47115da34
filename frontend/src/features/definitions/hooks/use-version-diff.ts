import { diffTicketTypeVersions, diffWorkflowVersions } from '@/features/definitions/api/definitions';
import type { ItemsDiff, TicketTypeDiff, ValueChange, WorkflowDiff } from '@/features/definitions/types/definitions';
import { useResource } from '@/hooks/use-resource';

export type DiffKind = 'workflow' | 'ticket-type';

/** The sections a diff is shown in, whichever kind of definition it is. */
export type DiffSections = {
  identical: boolean;
  properties: ValueChange[];
  lists: { title: string; diff: ItemsDiff }[];
};

function sectionsOf(kind: DiffKind, diff: WorkflowDiff | TicketTypeDiff): DiffSections {
  if (kind === 'workflow') {
    const workflow = diff as WorkflowDiff;
    return {
      identical: workflow.identical,
      properties: workflow.properties,
      lists: [
        { title: 'Tasks', diff: workflow.tasks },
        { title: 'Transitions', diff: workflow.transitions },
      ],
    };
  }
  const type = diff as TicketTypeDiff;
  return { identical: type.identical, properties: type.properties, lists: [{ title: 'Fields', diff: type.fields }] };
}

/** What changed from version `from` to `to` (nothing is asked while they are the same). */
export function useVersionDiff(kind: DiffKind, key: string, from: number, to: number) {
  return useResource(
    async (signal): Promise<DiffSections | null> => {
      if (from === to) return null;
      const diff =
        kind === 'workflow'
          ? await diffWorkflowVersions(key, from, to, signal)
          : await diffTicketTypeVersions(key, from, to, signal);
      return sectionsOf(kind, diff);
    },
    [kind, key, from, to],
  );
}
