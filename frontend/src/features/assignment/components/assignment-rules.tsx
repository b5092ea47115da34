import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ErrorState, LoadingState } from '@/components/ui/states';
import { deleteTaskRule, putCompanyRule, putTaskRule } from '@/features/assignment/api/assignment';
import { GroupsPanel } from '@/features/assignment/components/groups-panel';
import { RuleEditor } from '@/features/assignment/components/rule-editor';
import {
  QUEUE_KEY,
  RULES_KEY,
  useAssignmentAction,
  useAssignmentRules,
} from '@/features/assignment/hooks/use-assignment-data';
import {
  SOURCE_LABELS,
  type AssignmentRules,
  type Group,
  type RuleSource,
  type TaskRule,
} from '@/features/assignment/types/assignment';
import { errorMessage } from '@/lib/api-error';
import { formatDateTime } from '@/lib/format';

const SOURCE_TONES: Record<RuleSource, string> = {
  task_rule: 'bg-indigo-100 text-indigo-800',
  task_definition: 'bg-sky-100 text-sky-800',
  company: 'bg-slate-100 text-slate-700',
  default: 'bg-slate-100 text-slate-700',
};

function SourceBadge({ source }: { source: RuleSource }) {
  return (
    <span
      className={`inline-block rounded-full px-2.5 py-0.5 text-xs font-medium whitespace-nowrap ${SOURCE_TONES[source]}`}
    >
      {SOURCE_LABELS[source]}
    </span>
  );
}

// A rule change may assign waiting tasks at once: the queue and the workers' counts change too.
const RULE_CHANGES = [RULES_KEY, QUEUE_KEY, ['engine', 'workers']];

type Shared = { groups: Group[]; companyRoles: string[] };

function CompanyRulePanel({ rules, groups, companyRoles }: Shared & { rules: AssignmentRules }) {
  const { state, run } = useAssignmentAction(RULE_CHANGES);
  const company = rules.company;
  return (
    <Card
      title="Company rule"
      description="How form tasks are handed to task workers, unless a task has a rule of its own."
    >
      <div className="flex flex-col gap-4">
        <p className="text-sm text-slate-700" data-testid="company-rule">
          Now: <strong className="text-slate-900">{company.description}</strong> <SourceBadge source={company.source} />
          {company.updated_at && (
            <span className="block text-xs text-slate-500">
              Set by {company.updated_by_name ?? 'an administrator'} on {formatDateTime(company.updated_at)}
            </span>
          )}
        </p>
        <RuleEditor
          key={JSON.stringify(company.rule)}
          name="Company"
          initial={company.rule}
          groups={groups}
          companyRoles={companyRoles}
          saving={state.running === 'company'}
          onSave={(rule) =>
            void run('company', async () => {
              await putCompanyRule(rule);
              return 'The company rule is saved; waiting tasks were offered to whoever it allows.';
            })
          }
        />
        {state.error && <Alert tone="error">{errorMessage(state.error)}</Alert>}
        {state.notice && <Alert tone="success">{state.notice}</Alert>}
      </div>
    </Card>
  );
}

function TaskRuleRow({ task, groups, companyRoles }: Shared & { task: TaskRule }) {
  const [editing, setEditing] = useState(false);
  const { state, run } = useAssignmentAction(RULE_CHANGES);
  const label = `${task.workflow_name} · ${task.task_name}`;
  return (
    <li className="flex flex-col gap-3 py-4" aria-label={label}>
      <div className="grid grid-cols-[minmax(0,1fr)_auto] items-start gap-3">
        <div className="min-w-0">
          <p className="font-medium text-slate-900">
            {task.task_name}{' '}
            <span className="text-sm font-normal text-slate-500">
              in {task.workflow_name} v{task.workflow_version}
            </span>
          </p>
          <p className="mt-1 text-sm text-slate-700 first-letter:uppercase">
            {task.description} <SourceBadge source={task.source} />
          </p>
          {task.task_rule && task.definition_rule && (
            <p className="mt-1 text-xs text-slate-500">
              Overrides the workflow definition’s rule ({task.definition_rule.strategy.replace('_', ' ')}).
            </p>
          )}
        </div>
        {!editing && (
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="small"
              onClick={() => setEditing(true)}
              aria-label={`Set a rule for ${label}`}
            >
              Set rule
            </Button>
            {task.task_rule && (
              <Button
                variant="ghost"
                size="small"
                loading={state.running === 'clear'}
                aria-label={`Drop the rule of ${label}`}
                onClick={() =>
                  void run('clear', async () => {
                    await deleteTaskRule(task.workflow_key, task.task_key);
                    return null;
                  })
                }
              >
                Drop rule
              </Button>
            )}
          </div>
        )}
      </div>
      {editing && (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-4">
          <RuleEditor
            name={label}
            initial={task.effective}
            groups={groups}
            companyRoles={companyRoles}
            saving={state.running === 'save'}
            submitLabel="Save rule for this task"
            onCancel={() => setEditing(false)}
            onSave={(rule) =>
              void run('save', async () => {
                await putTaskRule(task.workflow_key, task.task_key, rule);
                setEditing(false);
                return null;
              })
            }
          />
        </div>
      )}
      {state.error && <Alert tone="error">{errorMessage(state.error)}</Alert>}
    </li>
  );
}

function TaskRulesPanel({ rules, ...shared }: Shared & { rules: AssignmentRules }) {
  return (
    <Card
      title="Rules per task"
      description="A rule set here wins over the workflow definition’s and the company’s, for every version of the task."
    >
      {rules.tasks.length === 0 ? (
        <p className="text-sm text-slate-600">No workflow has a form task yet.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {rules.tasks.map((task) => (
            <TaskRuleRow key={`${task.workflow_key}/${task.task_key}`} task={task} {...shared} />
          ))}
        </ul>
      )}
    </Card>
  );
}

/** The admins' page: the company's rule, each form task's rule, and the groups rules name. */
export function AssignmentRulesView() {
  const { rules, groups, roster, companyRoles } = useAssignmentRules();
  if (rules.isError) return <ErrorState message={errorMessage(rules.error)} onRetry={() => void rules.refetch()} />;
  if (groups.isError) return <ErrorState message={errorMessage(groups.error)} onRetry={() => void groups.refetch()} />;
  if (!rules.data || !groups.data) return <LoadingState label="Loading the assignment rules…" />;
  const roleNames = (companyRoles.data ?? []).map((r) => r.name);
  const shared = { groups: groups.data, companyRoles: roleNames };
  return (
    <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
      <div className="flex min-w-0 flex-col gap-6">
        <CompanyRulePanel rules={rules.data} {...shared} />
        <TaskRulesPanel rules={rules.data} {...shared} />
      </div>
      <div className="min-w-0">
        <GroupsPanel groups={groups.data} roster={roster.data ?? []} />
      </div>
    </div>
  );
}
