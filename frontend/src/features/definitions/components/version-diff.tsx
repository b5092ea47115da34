import { useState } from 'react';

import { SelectField } from '@/components/ui/select-field';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { useVersionDiff, type DiffKind } from '@/features/definitions/hooks/use-version-diff';
import type { ItemsDiff, ValueChange, VersionSummary } from '@/features/definitions/types/definitions';
import { errorMessage } from '@/lib/api-error';

function shown(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const BADGE = {
  added: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  removed: 'bg-rose-50 text-rose-800 ring-rose-200',
  changed: 'bg-amber-50 text-amber-900 ring-amber-200',
} as const;

function Badge({ change }: { change: keyof typeof BADGE }) {
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE[change]}`}>{change}</span>
  );
}

function Changes({ changes }: { changes: ValueChange[] }) {
  return (
    <table className="mt-2 w-full table-fixed text-left text-xs">
      <thead className="text-slate-600">
        <tr>
          <th scope="col" className="w-1/3 py-1 pr-2 font-medium">
            Value
          </th>
          <th scope="col" className="py-1 pr-2 font-medium">
            Before
          </th>
          <th scope="col" className="py-1 font-medium">
            After
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100 align-top">
        {changes.map((change) => (
          <tr key={`${change.path}-${change.change}`}>
            <td className="py-1 pr-2 break-words">
              <code>{change.path}</code> <Badge change={change.change} />
            </td>
            <td className="py-1 pr-2 break-words text-rose-800">
              <code>{shown(change.before)}</code>
            </td>
            <td className="py-1 break-words text-emerald-800">
              <code>{shown(change.after)}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ItemsSection({ title, diff }: { title: string; diff: ItemsDiff }) {
  const count = diff.added.length + diff.removed.length + diff.changed.length;
  return (
    <section aria-label={title} className="flex flex-col gap-2">
      <h3 className="text-sm font-semibold">
        {title}{' '}
        <span className="font-normal text-slate-600">
          ({count === 0 ? 'no change' : `${count} ${count === 1 ? 'difference' : 'differences'}`})
        </span>
      </h3>
      <ul className="flex flex-col gap-2 text-sm">
        {diff.added.map((item) => (
          <li key={`added-${item.key}`} className="flex items-center gap-2">
            <Badge change="added" /> {item.label}
          </li>
        ))}
        {diff.removed.map((item) => (
          <li key={`removed-${item.key}`} className="flex items-center gap-2">
            <Badge change="removed" /> <span className="line-through decoration-rose-400">{item.label}</span>
          </li>
        ))}
        {diff.changed.map((item) => (
          <li key={`changed-${item.key}`} className="rounded-md border border-slate-200 p-2">
            <span className="flex items-center gap-2">
              <Badge change="changed" /> {item.label}
            </span>
            <Changes changes={item.changes} />
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Pick two versions and see what changed between them. */
export function VersionDiff({
  kind,
  definitionKey,
  versions,
}: {
  kind: DiffKind;
  definitionKey: string;
  versions: VersionSummary[];
}) {
  const numbers = versions.map((v) => v.version).sort((a, b) => a - b);
  const latest = numbers[numbers.length - 1] ?? 1;
  const [from, setFrom] = useState(numbers.length > 1 ? (numbers[numbers.length - 2] ?? latest) : latest);
  const [to, setTo] = useState(latest);
  const diff = useVersionDiff(kind, definitionKey, from, to);
  const options = numbers.map((n) => ({ value: String(n), label: `Version ${n}` }));

  let body;
  if (numbers.length < 2) body = <EmptyState title="Only one version">Publish an edit to compare versions.</EmptyState>;
  else if (from === to) body = <p className="text-sm text-slate-600">Pick two different versions.</p>;
  else if (diff.isError) body = <ErrorState message={errorMessage(diff.error)} onRetry={() => void diff.refetch()} />;
  else if (!diff.data) body = <LoadingState label="Comparing…" />;
  else if (diff.data.identical) body = <p className="text-sm">The two versions are the same.</p>;
  else
    body = (
      <div className="flex flex-col gap-5">
        {diff.data.properties.length > 0 && (
          <section aria-label="Properties">
            <h3 className="text-sm font-semibold">Properties</h3>
            <Changes changes={diff.data.properties} />
          </section>
        )}
        {diff.data.lists.map((list) => (
          <ItemsSection key={list.title} title={list.title} diff={list.diff} />
        ))}
      </div>
    );

  return (
    <div className="flex flex-col gap-4">
      {numbers.length > 1 && (
        <div className="grid max-w-md grid-cols-2 gap-3">
          <SelectField
            label="From"
            name="diff-from"
            value={String(from)}
            options={options}
            onChange={(v) => setFrom(Number(v))}
          />
          <SelectField
            label="To"
            name="diff-to"
            value={String(to)}
            options={options}
            onChange={(v) => setTo(Number(v))}
          />
        </div>
      )}
      {body}
    </div>
  );
}
