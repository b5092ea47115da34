import { useQuery } from '@tanstack/react-query';

import { diffTicketTypeVersions, diffWorkflowVersions } from '@/features/definitions/api/definitions';
import type { ItemsDiff, TicketTypeDiff, ValueChange, WorkflowDiff } from '@/features/definitions/types/definitions';

export type DiffKind = 'workflow' | 'ticket-type';

/** The sections a diff is shown in, whichever kind of definition it is. */
export type DiffSections = {
  identical: boolean;
  properties: ValueChange[];
  lists: { title: string; diff: ItemsDiff }[];
};

function sectionsOf(diff: WorkflowDiff | TicketTypeDiff): DiffSections {
  if ('tasks' in diff) {
    return {
      identical: diff.identical,
      properties: diff.properties,
      lists: [
        { title: 'Tasks', diff: diff.tasks },
        { title: 'Transitions', diff: diff.transitions },
      ],
    };
  }
  return { identical: diff.identical, properties: diff.properties, lists: [{ title: 'Fields', diff: diff.fields }] };
}

/** What changed from version `from` to `to`; nothing is asked while they are the same. */
export function useVersionDiff(kind: DiffKind, key: string, from: number, to: number) {
  return useQuery({
    queryKey: ['definitions', kind, 'diff', key, from, to],
    queryFn: ({ signal }): Promise<WorkflowDiff | TicketTypeDiff> =>
      kind === 'workflow' ? diffWorkflowVersions(key, from, to, signal) : diffTicketTypeVersions(key, from, to, signal),
    select: sectionsOf,
    enabled: from !== to,
  });
}
