import Form from '@rjsf/core';
import type { ErrorSchema, RJSFSchema, UiSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import type { ReactNode } from 'react';

import { fieldOrder, formSchema, type Layout } from '@/components/json-schema-form/layout';
import type { ErrorTree } from '@/lib/error-schema';

import styles from './json-schema-form.module.css';

export type FormData = Record<string, unknown>;

type JsonSchemaFormProps = {
  /** The JSON Schema the definition declared (a ticket type's fields, a task's output). */
  schema: Record<string, unknown>;
  layout?: Layout;
  formData: FormData;
  onChange: (data: FormData) => void;
  onSubmit: (data: FormData) => void;
  /** Problems the server found, placed at their fields. */
  serverErrors?: ErrorTree | null;
  disabled?: boolean;
  idPrefix: string;
  /** The submit button (and any other actions); the form submits through it. */
  children: ReactNode;
};

/**
 * A form generated from a JSON Schema by react-jsonschema-form, checked in the browser with
 * the same JSON Schema rules the server applies (the server stays the authority).
 */
export function JsonSchemaForm({
  schema,
  layout,
  formData,
  onChange,
  onSubmit,
  serverErrors,
  disabled,
  idPrefix,
  children,
}: JsonSchemaFormProps) {
  const rjsfSchema = formSchema(schema) as RJSFSchema;
  const uiSchema: UiSchema = {
    'ui:order': fieldOrder(formSchema(schema), layout),
    'ui:submitButtonOptions': { norender: true },
  };
  return (
    <div className={styles.form}>
      <Form<FormData>
        schema={rjsfSchema}
        uiSchema={uiSchema}
        formData={formData}
        validator={validator}
        idPrefix={idPrefix}
        disabled={disabled}
        noHtml5Validate
        showErrorList={false}
        focusOnFirstError
        extraErrors={(serverErrors ?? undefined) as ErrorSchema<FormData> | undefined}
        onChange={(event) => onChange((event.formData ?? {}) as FormData)}
        onSubmit={(event) => onSubmit((event.formData ?? {}) as FormData)}
      >
        {children}
      </Form>
    </div>
  );
}
