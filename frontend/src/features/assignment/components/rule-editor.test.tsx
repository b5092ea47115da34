import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { RuleEditor, ruleOf } from '@/features/assignment/components/rule-editor';
import type { Group } from '@/features/assignment/types/assignment';

const GROUPS: Group[] = [
  {
    id: 'g1',
    key: 'approvers',
    name: 'Approvers',
    description: '',
    members: [],
    rules: 0,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  },
];

describe('ruleOf', () => {
  it('keeps only what each strategy takes', () => {
    const draft = { group: 'approvers', company_role: 'hr', pick: 'round_robin' as const };
    expect(ruleOf({ ...draft, strategy: 'round_robin' })).toEqual({ strategy: 'round_robin' });
    expect(ruleOf({ ...draft, strategy: 'group' })).toEqual({
      strategy: 'group',
      group: 'approvers',
      pick: 'round_robin',
    });
    expect(ruleOf({ ...draft, strategy: 'company_role', company_role: '' })).toBe('Choose a company role.');
  });
});

describe('RuleEditor', () => {
  it('asks for the group before saving a group rule, then saves it', async () => {
    const onSave = vi.fn();
    render(
      <RuleEditor
        name="Company"
        initial={{ strategy: 'shortest_queue' }}
        groups={GROUPS}
        companyRoles={['hr']}
        saving={false}
        onSave={onSave}
      />,
    );
    const user = userEvent.setup();
    await user.selectOptions(screen.getByLabelText('Strategy'), 'group');
    await user.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(screen.getByText('Choose a group.')).toBeInTheDocument();
    expect(onSave).not.toHaveBeenCalled();

    await user.selectOptions(screen.getByLabelText('Group'), 'approvers');
    await user.selectOptions(screen.getByLabelText('Among them'), 'round_robin');
    await user.click(screen.getByRole('button', { name: 'Save rule' }));
    expect(onSave).toHaveBeenCalledWith({ strategy: 'group', group: 'approvers', pick: 'round_robin' });
  });

  it('starts from the rule in force', () => {
    render(
      <RuleEditor
        name="Task"
        initial={{ strategy: 'company_role', company_role: 'legal', pick: 'shortest_queue' }}
        groups={[]}
        companyRoles={['hr']}
        saving={false}
        onSave={() => undefined}
      />,
    );
    expect(screen.getByLabelText('Strategy')).toHaveValue('company_role');
    // A role no longer offered by identity still shows as the one in force.
    expect(screen.getByLabelText('Company role')).toHaveValue('legal');
  });
});
