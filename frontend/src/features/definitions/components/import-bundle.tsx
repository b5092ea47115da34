import { useId } from 'react';
import { Link } from 'react-router';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { ticketTypeHref, workflowHref } from '@/config/paths';
import { useBundleImport } from '@/features/definitions/hooks/use-bundle-import';

/** Import an exported bundle (from this company or another): it becomes this company's own
 * workflow and ticket types, new versions where the keys already exist. */
export function ImportBundle() {
  const { state, open, importBundle } = useBundleImport();
  const fileId = useId();
  const canImport = state.checked && state.errors.length === 0 && !state.result;

  return (
    <div className="flex flex-col gap-6">
      <Card
        title="1. Choose an exported bundle"
        description="A YAML or JSON file from Export on a workflow, here or in another company."
      >
        <label htmlFor={fileId} className="text-sm font-medium text-slate-700">
          Bundle file
        </label>
        <input
          id={fileId}
          type="file"
          accept=".yaml,.yml,.json,application/json,application/yaml"
          className="mt-1 block w-full max-w-md text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void open(file);
          }}
        />
      </Card>

      {state.message && <Alert tone="error">{state.message}</Alert>}

      {state.contents && (
        <Card title="2. Check what it brings">
          <ul className="flex flex-col gap-1 text-sm">
            <li>
              Workflow <span className="font-medium">{state.contents.workflow.name}</span>{' '}
              <code>{state.contents.workflow.key}</code> with {state.contents.workflow.tasks} tasks
            </li>
            {state.contents.ticketTypes.map((t) => (
              <li key={t.key}>
                Ticket type <span className="font-medium">{t.name}</span> <code>{t.key}</code>
              </li>
            ))}
          </ul>
          <p className="mt-3 text-sm text-slate-600">
            Nothing in the file is tied to the company it came from: the import gets new ids here, and a key this
            company already has gets a new version instead of being replaced.
          </p>
          {state.busy === 'checking' && <p className="mt-3 text-sm">Checking…</p>}
          {state.checked && state.errors.length === 0 && (
            <p className="mt-3 text-sm font-medium text-emerald-800">The bundle is valid.</p>
          )}
          {state.errors.length > 0 && (
            <Alert tone="error" title={`${state.errors.length} problem(s): fix the file and choose it again`}>
              <ul className="list-disc pl-5">
                {state.errors.map((p) => (
                  <li key={`${p.path}-${p.msg}`}>
                    <code>{p.path || '(bundle)'}</code>: {p.msg}
                  </li>
                ))}
              </ul>
            </Alert>
          )}
          {state.warnings.length > 0 && (
            <ul className="mt-3 list-disc pl-5 text-sm text-amber-900">
              {state.warnings.map((p) => (
                <li key={`${p.path}-${p.msg}`}>
                  <code>{p.path}</code>: {p.msg}
                </li>
              ))}
            </ul>
          )}
        </Card>
      )}

      {state.contents && !state.result && (
        <div>
          <Button disabled={!canImport} loading={state.busy === 'importing'} onClick={() => void importBundle()}>
            Import
          </Button>
        </div>
      )}

      {state.result && (
        <Alert tone="success" title="Imported">
          <ul className="flex flex-col gap-1">
            <li>
              <Link to={workflowHref(state.result.workflow.key)} className="underline">
                Workflow {state.result.workflow.key}
              </Link>{' '}
              {state.result.workflow.created
                ? `version ${state.result.workflow.version}`
                : 'unchanged (same as the latest)'}
            </li>
            {state.result.ticket_types.map((t) => (
              <li key={t.key}>
                <Link to={ticketTypeHref(t.key)} className="underline">
                  Ticket type {t.key}
                </Link>{' '}
                {t.created ? `version ${t.version}` : 'unchanged'}
              </li>
            ))}
          </ul>
        </Alert>
      )}
    </div>
  );
}
