import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';

import type { FieldErrors } from '@/components/custom-layout/bridge';
import { formSchema } from '@/components/json-schema-form/layout';
import type { ErrorTree } from '@/lib/error-schema';

export type Checked = { valid: boolean; fieldErrors: FieldErrors; messages: string[] };

function collect(tree: ErrorTree | undefined, path: string[], into: FieldErrors, messages: string[]) {
  if (!tree) return;
  for (const [key, child] of Object.entries(tree)) {
    if (key === '__errors') {
      const list = (child as string[] | undefined) ?? [];
      if (list.length === 0) continue;
      // Nested problems belong to the layout's top-level field that holds them.
      const field = path[0] ?? '';
      into[field] = [...(into[field] ?? []), ...list];
      const where = path.length > 0 ? path.join('.') : 'the form';
      messages.push(...list.map((message) => `${where}: ${message}`));
    } else if (child && !Array.isArray(child)) {
      collect(child, [...path, key], into, messages);
    }
  }
}

/** Field messages (and one line each) from an error tree: the server's or the validator's. */
export function fieldErrorsFrom(tree: ErrorTree | null | undefined): { fieldErrors: FieldErrors; messages: string[] } {
  const fieldErrors: FieldErrors = {};
  const messages: string[] = [];
  collect(tree ?? undefined, [], fieldErrors, messages);
  return { fieldErrors, messages };
}

/**
 * A custom edit layout's value checked exactly as the generated form checks its own: the same
 * react-jsonschema-form AJV validator over the same schema. The server checks again.
 */
export function checkValue(schema: Record<string, unknown>, value: Record<string, unknown>): Checked {
  const { errorSchema, errors } = validator.validateFormData(value, formSchema(schema) as RJSFSchema);
  const { fieldErrors, messages } = fieldErrorsFrom(errorSchema as ErrorTree);
  return { valid: errors.length === 0, fieldErrors, messages };
}
