import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { CheckboxGroup } from '@/components/ui/checkbox-group';
import { TextField } from '@/components/ui/text-field';
import { createGroup, deleteGroup, updateGroup } from '@/features/assignment/api/assignment';
import { GROUPS_KEY, QUEUE_KEY, RULES_KEY, useAssignmentAction } from '@/features/assignment/hooks/use-assignment-data';
import type { Group, RosterWorker } from '@/features/assignment/types/assignment';
import { errorMessage, formErrorsFrom, type FormErrors } from '@/lib/api-error';

type GroupsPanelProps = { groups: Group[]; roster: RosterWorker[] };

// New members may take waiting tasks at once; the rules page names groups too.
const GROUP_CHANGES = [GROUPS_KEY, RULES_KEY, QUEUE_KEY, ['engine', 'workers']];

function memberOptions(roster: readonly RosterWorker[]) {
  return roster
    .filter((w) => w.is_active)
    .map((w) => ({
      value: w.user_id,
      label: w.display_name || w.email,
      description: `${w.open_tasks} open · ${w.available ? 'available' : 'away'}`,
    }));
}

const GROUP_FIELDS = ['key', 'name', 'members'] as const;
// The engine's rule for group keys (contracts.assignment.GROUP_KEY_PATTERN), checked here first
// so the admin reads it in words.
const KEY_PATTERN = /^[a-z][a-z0-9_-]*$/;
const KEY_RULE = 'Start with a lower-case letter; then lower-case letters, digits, - or _.';
type GroupField = (typeof GROUP_FIELDS)[number];

function NewGroupForm({ roster }: { roster: RosterWorker[] }) {
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [members, setMembers] = useState<string[]>([]);
  const [problems, setProblems] = useState<FormErrors<GroupField> | null>(null);
  const { state, run } = useAssignmentAction(GROUP_CHANGES);
  return (
    <form
      className="flex flex-col gap-3"
      aria-label="New group"
      onSubmit={(event) => {
        event.preventDefault();
        setProblems(null);
        if (!KEY_PATTERN.test(key.trim())) {
          setProblems({ fieldErrors: { key: KEY_RULE }, formError: null });
          return;
        }
        void run('create', async () => {
          try {
            await createGroup({ key: key.trim(), name: name.trim(), description: '', members });
          } catch (error) {
            const sorted = formErrorsFrom(error, GROUP_FIELDS);
            setProblems(sorted);
            // Problems placed at their fields need no second message; the rest show below.
            if (sorted.formError === null) return null;
            throw error;
          }
          setKey('');
          setName('');
          setMembers([]);
          return `Group “${name.trim()}” created.`;
        });
      }}
    >
      <div className="flex flex-col gap-3">
        <TextField
          label="Name"
          name="group-name"
          value={name}
          required
          onChange={(value) => {
            setName(value);
            // Suggest a key from the name until the admin types one of their own.
            if (!key || key === slug(name)) setKey(slug(value));
          }}
          error={problems?.fieldErrors.name}
        />
        <TextField
          label="Key"
          name="group-key"
          value={key}
          required
          hint="What rules and workflow bundles name the group by; it cannot change later."
          onChange={setKey}
          error={problems?.fieldErrors.key}
        />
      </div>
      <CheckboxGroup
        legend="Members"
        name="group-members"
        options={memberOptions(roster)}
        value={members}
        onChange={setMembers}
        error={problems?.fieldErrors.members}
        hint={roster.length === 0 ? 'No task workers yet.' : undefined}
      />
      <div>
        <Button type="submit" loading={state.running === 'create'}>
          Create group
        </Button>
      </div>
      {state.error && <Alert tone="error">{errorMessage(state.error)}</Alert>}
      {state.notice && <Alert tone="success">{state.notice}</Alert>}
    </form>
  );
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .trim()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+$/, '');
}

function GroupItem({ group, roster }: { group: Group; roster: RosterWorker[] }) {
  const [editing, setEditing] = useState(false);
  const [members, setMembers] = useState<string[]>(group.members.map((m) => m.user_id));
  const { state, run } = useAssignmentAction(GROUP_CHANGES);
  return (
    <li className="flex flex-col gap-3 py-4" aria-label={`Group ${group.name}`}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="font-medium text-slate-900">
            {group.name} <code className="text-xs text-slate-500">{group.key}</code>
          </p>
          <p className="mt-1 text-sm text-slate-600">
            {group.members.length === 0
              ? 'No members.'
              : group.members.map((m) => `${m.display_name}${m.available ? '' : ' (away)'}`).join(', ')}
          </p>
          <p className="mt-1 text-xs text-slate-500">
            {group.rules === 0
              ? 'No rule sends tasks here.'
              : group.rules === 1
                ? 'One rule sends tasks here.'
                : `${group.rules} rules send tasks here.`}
          </p>
        </div>
        {!editing && (
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="small"
              onClick={() => setEditing(true)}
              aria-label={`Edit members of ${group.name}`}
            >
              Edit members
            </Button>
            <Button
              variant="danger"
              size="small"
              loading={state.running === 'delete'}
              aria-label={`Delete group ${group.name}`}
              onClick={() =>
                void run('delete', async () => {
                  await deleteGroup(group.id);
                  return null;
                })
              }
            >
              Delete
            </Button>
          </div>
        )}
      </div>
      {editing && (
        <form
          className="flex flex-col gap-3 rounded-md border border-slate-200 bg-slate-50 p-4"
          onSubmit={(event) => {
            event.preventDefault();
            void run('save', async () => {
              await updateGroup(group.id, { members });
              setEditing(false);
              return null;
            });
          }}
        >
          <CheckboxGroup
            legend={`Members of ${group.name}`}
            name={`members-${group.key}`}
            options={memberOptions(roster)}
            value={members}
            onChange={setMembers}
          />
          <div className="flex gap-2">
            <Button type="submit" loading={state.running === 'save'}>
              Save members
            </Button>
            <Button variant="ghost" onClick={() => setEditing(false)}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      {state.error && <Alert tone="error">{errorMessage(state.error)}</Alert>}
    </li>
  );
}

/** Named groups of task workers, which rules can send tasks to. */
export function GroupsPanel({ groups, roster }: GroupsPanelProps) {
  return (
    <Card title="Groups of workers" description="A rule can send a task to the members of a group only.">
      <div className="flex flex-col gap-6">
        {groups.length === 0 ? (
          <p className="text-sm text-slate-600">No groups yet.</p>
        ) : (
          <ul className="divide-y divide-slate-100">
            {groups.map((group) => (
              <GroupItem key={`${group.id}-${group.updated_at}`} group={group} roster={roster} />
            ))}
          </ul>
        )}
        <div className="border-t border-slate-200 pt-4">
          <h3 className="mb-3 text-base font-semibold text-slate-900">New group</h3>
          <NewGroupForm roster={roster} />
        </div>
      </div>
    </Card>
  );
}
