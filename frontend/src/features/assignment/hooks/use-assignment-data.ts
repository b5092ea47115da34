import { useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';

import {
  getRules,
  listCompanyRoles,
  listGroups,
  listRoster,
  listWaitingTasks,
} from '@/features/assignment/api/assignment';
import type { WaitingState } from '@/features/assignment/types/assignment';

export const RULES_KEY: QueryKey = ['engine', 'assignment', 'rules'];
export const GROUPS_KEY: QueryKey = ['engine', 'assignment', 'groups'];
export const QUEUE_KEY: QueryKey = ['engine', 'assignment', 'queue'];
// Shared with the task pages, which show the same roster.
export const ROSTER_KEY: QueryKey = ['engine', 'workers'];

export function useAssignmentRules() {
  const rules = useQuery({ queryKey: RULES_KEY, queryFn: ({ signal }) => getRules(signal) });
  const groups = useQuery({ queryKey: GROUPS_KEY, queryFn: ({ signal }) => listGroups(signal) });
  const roster = useQuery({ queryKey: ROSTER_KEY, queryFn: ({ signal }) => listRoster(signal) });
  const companyRoles = useQuery({
    queryKey: ['identity', 'company-roles'],
    queryFn: ({ signal }) => listCompanyRoles(signal),
  });
  return { rules, groups, roster, companyRoles };
}

export function useAssignmentQueue(state: WaitingState | undefined, page: number) {
  const query = { ...(state ? { state } : {}), page, page_size: 25 };
  const tasks = useQuery({
    queryKey: [...QUEUE_KEY, query],
    queryFn: ({ signal }) => listWaitingTasks(query, signal),
  });
  const roster = useQuery({ queryKey: ROSTER_KEY, queryFn: ({ signal }) => listRoster(signal) });
  return { tasks, roster };
}

type Work = { action: string; work: () => Promise<string | null> };

/**
 * One write at a time: a mutation whose success reads what it changed (`invalidates`) again;
 * `state` says which action runs and what came of the last one.
 */
export function useAssignmentAction(invalidates: QueryKey[]) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ work }: Work) => work(),
    onSuccess: () => Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
  const run = (action: string, work: () => Promise<string | null>) =>
    mutation.mutateAsync({ action, work }).then(
      () => true,
      () => false,
    );
  const state = {
    running: mutation.isPending ? mutation.variables.action : null,
    error: mutation.isError ? mutation.error : null,
    notice: mutation.isSuccess ? mutation.data : null,
  };
  return { state, run };
}
