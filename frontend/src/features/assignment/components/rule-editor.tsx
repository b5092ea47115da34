import { useState } from 'react';

import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import {
  PICKS,
  STRATEGIES,
  type AssignmentRule,
  type Group,
  type Pick,
  type Strategy,
} from '@/features/assignment/types/assignment';

type RuleEditorProps = {
  /** Names the fields, so several editors on one page stay apart for assistive tech. */
  name: string;
  initial: AssignmentRule;
  groups: readonly Group[];
  companyRoles: readonly string[];
  saving: boolean;
  submitLabel?: string;
  onSave: (rule: AssignmentRule) => void;
  onCancel?: () => void;
};

type Draft = { strategy: Strategy; group: string; company_role: string; pick: Pick };

function draftOf(rule: AssignmentRule): Draft {
  return {
    strategy: rule.strategy,
    group: rule.strategy === 'group' ? rule.group : '',
    company_role: rule.strategy === 'company_role' ? rule.company_role : '',
    pick: (rule.strategy === 'group' || rule.strategy === 'company_role') && rule.pick ? rule.pick : 'shortest_queue',
  };
}

/** The rule the draft describes, or the reason it is not one yet. */
export function ruleOf(draft: Draft): AssignmentRule | string {
  switch (draft.strategy) {
    case 'shortest_queue':
    case 'round_robin':
      return { strategy: draft.strategy };
    case 'group':
      return draft.group ? { strategy: 'group', group: draft.group, pick: draft.pick } : 'Choose a group.';
    case 'company_role':
      return draft.company_role
        ? { strategy: 'company_role', company_role: draft.company_role, pick: draft.pick }
        : 'Choose a company role.';
  }
}

/** Choose a strategy and, for a group or a company role, which one and how to pick inside it. */
export function RuleEditor({
  name,
  initial,
  groups,
  companyRoles,
  saving,
  submitLabel = 'Save rule',
  onSave,
  onCancel,
}: RuleEditorProps) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(initial));
  const [problem, setProblem] = useState<string | null>(null);
  const change = (patch: Partial<Draft>) => {
    setProblem(null);
    setDraft((current) => ({ ...current, ...patch }));
  };
  const narrowed = draft.strategy === 'group' || draft.strategy === 'company_role';

  return (
    <form
      className="flex flex-col gap-3"
      aria-label={`${name} rule`}
      onSubmit={(event) => {
        event.preventDefault();
        const rule = ruleOf(draft);
        if (typeof rule === 'string') setProblem(rule);
        else onSave(rule);
      }}
    >
      <SelectField
        label="Strategy"
        name={`${name}-strategy`}
        value={draft.strategy}
        options={STRATEGIES}
        disabled={saving}
        onChange={(value) => change({ strategy: value as Strategy })}
      />
      {draft.strategy === 'group' && (
        <SelectField
          label="Group"
          name={`${name}-group`}
          value={draft.group}
          disabled={saving}
          error={problem ?? undefined}
          hint={groups.length === 0 ? 'Create a group of workers first (below).' : undefined}
          options={[
            { value: '', label: 'Choose a group' },
            ...groups.map((g) => ({ value: g.key, label: `${g.name} (${g.members.length} members)` })),
          ]}
          onChange={(group) => change({ group })}
        />
      )}
      {draft.strategy === 'company_role' && (
        <SelectField
          label="Company role"
          name={`${name}-company-role`}
          value={draft.company_role}
          disabled={saving}
          error={problem ?? undefined}
          options={[
            { value: '', label: 'Choose a company role' },
            ...[...new Set([...companyRoles, ...(draft.company_role ? [draft.company_role] : [])])].map((role) => ({
              value: role,
              label: role,
            })),
          ]}
          onChange={(company_role) => change({ company_role })}
        />
      )}
      {narrowed && (
        <SelectField
          label="Among them"
          name={`${name}-pick`}
          value={draft.pick}
          options={PICKS}
          disabled={saving}
          onChange={(value) => change({ pick: value as Pick })}
        />
      )}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" loading={saving}>
          {submitLabel}
        </Button>
        {onCancel && (
          <Button variant="ghost" onClick={onCancel} disabled={saving}>
            Cancel
          </Button>
        )}
      </div>
    </form>
  );
}
