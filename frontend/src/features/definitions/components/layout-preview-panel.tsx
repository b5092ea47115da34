import { useEffect, useMemo, useState } from 'react';

import type { LayoutProps } from '@/components/custom-layout/bridge';
import { LayoutFrame, type LayoutFailure } from '@/components/custom-layout/layout-frame';
import { checkValue } from '@/components/custom-layout/validate';
import { Alert } from '@/components/ui/alert';
import { JsonView } from '@/components/ui/json-view';
import { SelectField } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { previewTargets } from '@/features/definitions/hooks/layout-preview';

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

function parseSample(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function SourceLines({ source, errorLine }: { source: string; errorLine: number | null }) {
  return (
    <pre
      className="max-h-96 overflow-auto rounded border border-slate-200 bg-slate-50 py-2 text-xs"
      aria-label="Layout source"
    >
      {source.split('\n').map((line, index) => (
        <div key={index} className={index + 1 === errorLine ? 'bg-red-100' : undefined} data-line={index + 1}>
          <span className="inline-block w-8 select-none pr-2 text-right text-slate-400">{index + 1}</span>
          {line}
        </div>
      ))}
    </pre>
  );
}

/**
 * Every custom component layout of the bundle being edited, drawn in its sandbox with sample
 * data beside its source. A layout that fails shows its error here (the app falls back to the
 * standard form at run time instead).
 */
export function LayoutPreviewPanel({ bundle }: { bundle: unknown }) {
  const settled = useDebounced(bundle, 400);
  const targets = useMemo(() => previewTargets(settled), [settled]);
  const [chosen, setChosen] = useState('');
  const target = targets.find((t) => t.path === chosen) ?? targets[0];
  const [sampleText, setSampleText] = useState<{ path: string; text: string } | null>(null);
  const [value, setValue] = useState<Record<string, unknown>>({});
  const [failed, setFailed] = useState<{ key: string; failure: LayoutFailure } | null>(null);

  const text =
    target && sampleText?.path === target.path ? sampleText.text : JSON.stringify(target?.sample ?? {}, null, 2);
  const sample = parseSample(text);
  const props = useMemo<LayoutProps | null>(() => {
    if (!target || !sample) return null;
    return {
      mode: target.mode,
      schema: target.schema,
      value: target.mode === 'edit' ? {} : sample,
      data: sample,
      context: target.context,
      errors: {},
      disabled: false,
    };
    // The sample's text is its identity; a new parse of the same text is the same sample.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [target, text]);

  if (targets.length === 0 || !target) return null;
  const frameKey = `${target.path}|${target.mode}|${target.layout.source}|${text}`;
  // A failure belongs to the source and sample it happened with; an edit tries again.
  const failure = failed?.key === frameKey ? failed.failure : null;
  const checked = target.mode === 'edit' && !failure ? checkValue(target.schema, value) : null;

  return (
    <section aria-label="Layout preview" className="flex flex-col gap-4">
      <SelectField
        label="Layout"
        name="layout-preview"
        value={target.path}
        options={targets.map((t) => ({ value: t.path, label: `${t.path} (${t.mode})` }))}
        onChange={(path) => {
          setChosen(path);
          setValue({});
        }}
      />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className="flex min-w-0 flex-col gap-3">
          <SourceLines source={target.layout.source} errorLine={failure?.line ?? null} />
          <TextareaField
            label={target.mode === 'edit' ? 'Sample data shown beside the form (JSON)' : 'Sample data (JSON)'}
            name="layout-sample"
            rows={6}
            monospace
            value={text}
            error={sample ? undefined : 'Not a JSON object.'}
            onChange={(next) => {
              setSampleText({ path: target.path, text: next });
            }}
          />
        </div>
        <div className="flex min-w-0 flex-col gap-3">
          {failure ? (
            <Alert tone="error" title="The layout failed">
              <p className="font-mono text-xs break-words">
                {failure.line !== null ? `line ${failure.line}, column ${failure.column ?? 1}: ` : ''}
                {failure.message}
              </p>
            </Alert>
          ) : (
            props && (
              <div className="rounded border border-dashed border-slate-300 p-2">
                <LayoutFrame
                  key={frameKey}
                  layout={target.layout}
                  props={props}
                  title="Layout preview"
                  onChange={setValue}
                  onFailure={(next) => setFailed({ key: frameKey, failure: next })}
                />
              </div>
            )
          )}
          {checked && (
            <div className="flex flex-col gap-1 text-sm">
              <p className="font-semibold">Value the layout posts back</p>
              <JsonView label="Value the layout posts back" value={value} />
              <p className={checked.valid ? 'text-green-800' : 'text-amber-800'}>
                {checked.valid
                  ? 'Matches the output schema.'
                  : `Does not match the schema yet: ${checked.messages.join('; ')}`}
              </p>
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
