// Shapes of the engine's assignment API (services/engine: assignment module) and the roster it
// shows beside the queue, as the services' OpenAPI document gives them.

import type { Schema } from '@/types/api';

export type Pick = Schema<'Pick'>;

export type AssignmentRule =
  Schema<'ShortestQueueRule'> | Schema<'RoundRobinRule'> | Schema<'GroupRule'> | Schema<'CompanyRoleRule'>;

export type Strategy = AssignmentRule['strategy'];

export type RuleSource = Schema<'RuleSource'>;

export type CompanyRule = Schema<'CompanyRuleRead'>;

export type TaskRule = Schema<'TaskRuleRead'>;

export type AssignmentRules = Schema<'AssignmentRulesRead'>;

export type Group = Schema<'GroupRead'>;

export type WaitingState = Schema<'WaitingState'>;

export type WaitingTask = Schema<'WaitingTaskRead'>;

export type RosterWorker = Schema<'WorkerRead'>;

export type CompanyRoleOption = Schema<'CompanyRoleRead'>;

export const STRATEGIES: ReadonlyArray<{ value: Strategy; label: string }> = [
  { value: 'shortest_queue', label: 'Shortest queue: the available worker with the fewest open tasks' },
  { value: 'round_robin', label: 'Round robin: available workers in turn' },
  { value: 'group', label: 'A group of workers' },
  { value: 'company_role', label: 'Workers with a company role' },
];

export const PICKS: ReadonlyArray<{ value: Pick; label: string }> = [
  { value: 'shortest_queue', label: 'then the shortest queue' },
  { value: 'round_robin', label: 'then in turn (round robin)' },
];

export const SOURCE_LABELS: Record<RuleSource, string> = {
  task_rule: 'Rule for this task',
  task_definition: 'From the workflow definition',
  company: 'Company rule',
  default: 'Default',
};
