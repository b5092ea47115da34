import { useMemo, useState, type FormEvent, type ReactNode } from 'react';

import type { FieldErrors, LayoutProps } from '@/components/custom-layout/bridge';
import { LayoutFrame, type LayoutFailure } from '@/components/custom-layout/layout-frame';
import { componentLayout } from '@/components/custom-layout/layout-kind';
import { checkValue, fieldErrorsFrom } from '@/components/custom-layout/validate';
import { DataSections } from '@/components/json-schema-form/data-sections';
import { JsonSchemaForm, type FormData } from '@/components/json-schema-form/json-schema-form';
import type { Layout } from '@/components/json-schema-form/layout';
import { Alert } from '@/components/ui/alert';
import type { ErrorTree } from '@/lib/error-schema';

const EMPTY: Record<string, unknown> = {};

function useComponentLayout(layout: unknown) {
  const found = componentLayout(layout);
  const source = found?.source;
  const language = found?.language;
  // One object per source, so the frame compiles and starts once however often the page renders.
  return useMemo(() => (source === undefined ? null : { source, language: language ?? 'tsx' }), [source, language]);
}

function FallbackNotice({ failure, what }: { failure: LayoutFailure; what: string }) {
  const where =
    failure.line !== null
      ? ` (line ${failure.line}${failure.column !== null ? `, column ${failure.column}` : ''})`
      : '';
  return (
    <div data-testid="layout-fallback">
      <Alert tone="info" title={`The custom layout of this ${what} failed, so the standard ${what} is shown.`}>
        <details>
          <summary className="cursor-pointer">What went wrong</summary>
          <p className="mt-1 font-mono text-xs break-words">
            {failure.message}
            {where}
          </p>
        </details>
      </Alert>
    </div>
  );
}

type LayoutFormProps = {
  schema: Record<string, unknown>;
  layout?: unknown;
  formData: FormData;
  onChange: (data: FormData) => void;
  onSubmit: (data: FormData) => void;
  serverErrors?: ErrorTree | null;
  disabled?: boolean;
  idPrefix: string;
  /** Read-only data the layout may show beside the form (a task's input). */
  data?: Record<string, unknown>;
  context?: Record<string, unknown>;
  title: string;
  children: ReactNode;
};

/**
 * The form for a definition's edit layout: the generated form for declarative sections, the
 * designer's component in its sandbox otherwise. Either way the value is checked with the same
 * validator before `onSubmit`, and a component that fails gives way to the generated form.
 */
export function LayoutForm(props: LayoutFormProps) {
  const { schema, layout, formData, onChange, onSubmit, serverErrors, disabled, idPrefix, children } = props;
  const component = useComponentLayout(layout);
  const [failure, setFailure] = useState<LayoutFailure | null>(null);
  const [checked, setChecked] = useState<{ fieldErrors: FieldErrors; messages: string[] } | null>(null);
  const server = useMemo(() => fieldErrorsFrom(serverErrors), [serverErrors]);

  const errors = useMemo(() => {
    const merged: FieldErrors = { ...(checked?.fieldErrors ?? {}) };
    for (const [field, list] of Object.entries(server.fieldErrors)) merged[field] = [...(merged[field] ?? []), ...list];
    return merged;
  }, [checked, server]);
  const frameProps = useMemo<LayoutProps>(
    () => ({
      mode: 'edit',
      schema,
      value: formData,
      data: props.data ?? EMPTY,
      context: props.context ?? EMPTY,
      errors,
      disabled: Boolean(disabled),
    }),
    // The frame owns the value once drawn; it is read at the first render only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [schema, props.data, props.context, errors, disabled],
  );

  if (!component || failure) {
    return (
      <div className="flex flex-col gap-3">
        {failure && <FallbackNotice failure={failure} what="form" />}
        <JsonSchemaForm
          schema={schema}
          layout={component ? null : (layout as Layout)}
          formData={formData}
          onChange={onChange}
          onSubmit={onSubmit}
          serverErrors={serverErrors}
          disabled={disabled}
          idPrefix={idPrefix}
        >
          {children}
        </JsonSchemaForm>
      </div>
    );
  }

  const submit = (value: FormData) => {
    const result = checkValue(schema, value);
    setChecked(result.valid ? null : result);
    if (result.valid) onSubmit(value);
  };
  const messages = [...(checked?.messages ?? []), ...server.messages];

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        if (!disabled) submit(formData);
      }}
    >
      <LayoutFrame
        layout={component}
        props={frameProps}
        title={props.title}
        onChange={(value) => {
          setChecked(null);
          onChange(value);
        }}
        onFailure={setFailure}
      />
      {messages.length > 0 && (
        <Alert tone="error" title="Please correct these fields">
          <ul className="list-disc pl-5" data-testid="layout-errors">
            {messages.map((message) => (
              <li key={message}>{message}</li>
            ))}
          </ul>
        </Alert>
      )}
      <div>{children}</div>
    </form>
  );
}

type LayoutViewProps = {
  layout?: unknown;
  data: Record<string, unknown>;
  schema?: Record<string, unknown> | null;
  context?: Record<string, unknown>;
  emptyText?: string;
  title: string;
};

/** Data shown read-only: by the declarative sections, or by the designer's component. */
export function LayoutView({ layout, data, schema, context, emptyText, title }: LayoutViewProps) {
  const component = useComponentLayout(layout);
  const [failure, setFailure] = useState<LayoutFailure | null>(null);
  const frameProps = useMemo<LayoutProps>(
    () => ({
      mode: 'display',
      schema: schema ?? EMPTY,
      value: data,
      data,
      context: context ?? EMPTY,
      errors: {},
      disabled: true,
    }),
    [schema, data, context],
  );
  if (!component || failure) {
    return (
      <div className="flex flex-col gap-3">
        {failure && <FallbackNotice failure={failure} what="view" />}
        <DataSections
          data={data}
          layout={component ? null : (layout as Layout)}
          schema={schema ?? null}
          emptyText={emptyText}
        />
      </div>
    );
  }
  return <LayoutFrame layout={component} props={frameProps} title={title} onFailure={setFailure} />;
}
