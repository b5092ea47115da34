import { useCallback, useReducer, type FormEvent } from 'react';
import { flushSync } from 'react-dom';

import { formErrorsFrom } from '@/lib/api-error';

export type FormValues = Record<string, unknown>;

export type FieldName<V extends FormValues> = keyof V & string;

export type FieldErrors<V extends FormValues> = Partial<Record<FieldName<V>, string>>;

export type FormState<V extends FormValues> = {
  values: V;
  fieldErrors: FieldErrors<V>;
  formError: string | null;
  status: 'idle' | 'submitting' | 'succeeded';
};

export type FormAction<V extends FormValues> =
  | { type: 'changed'; field: FieldName<V>; value: V[FieldName<V>] }
  | { type: 'submitted' }
  | { type: 'rejected'; fieldErrors: FieldErrors<V>; formError: string | null }
  | { type: 'succeeded' }
  | { type: 'reset'; values: V };

export function initialFormState<V extends FormValues>(values: V): FormState<V> {
  return { values, fieldErrors: {}, formError: null, status: 'idle' };
}

export function formReducer<V extends FormValues>(state: FormState<V>, action: FormAction<V>): FormState<V> {
  switch (action.type) {
    case 'changed': {
      // Editing a field dismisses its own error and any earlier success message.
      const fieldErrors = { ...state.fieldErrors };
      delete fieldErrors[action.field];
      return {
        ...state,
        values: { ...state.values, [action.field]: action.value },
        fieldErrors,
        status: state.status === 'succeeded' ? 'idle' : state.status,
      };
    }
    case 'submitted':
      return { ...state, status: 'submitting', fieldErrors: {}, formError: null };
    case 'rejected':
      return {
        ...state,
        status: 'idle',
        fieldErrors: action.fieldErrors,
        formError: action.formError,
      };
    case 'succeeded':
      return { ...state, status: 'succeeded', fieldErrors: {}, formError: null };
    case 'reset':
      return initialFormState(action.values);
  }
}

type UseFormOptions<V extends FormValues> = {
  initialValues: V;
  /** Checks made before any request; return a message per invalid field. */
  validate?: (values: V) => FieldErrors<V>;
  onSubmit: (values: V) => Promise<void>;
};

export function useForm<V extends FormValues>({ initialValues, validate, onSubmit }: UseFormOptions<V>) {
  const [state, dispatch] = useReducer(formReducer<V>, initialValues, initialFormState<V>);

  const setValue = useCallback(<K extends FieldName<V>>(field: K, value: V[K]) => {
    dispatch({ type: 'changed', field, value });
  }, []);

  const reset = useCallback((values: V) => dispatch({ type: 'reset', values }), []);

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (state.status === 'submitting') return;
    const form = event.currentTarget;
    const reject = (fieldErrors: FieldErrors<V>, formError: string | null) => {
      // Render the errors now, then move focus to the first one so keyboard and
      // screen-reader users land on what needs fixing.
      flushSync(() => dispatch({ type: 'rejected', fieldErrors, formError }));
      const target =
        form.querySelector<HTMLElement>('[aria-invalid="true"]') ??
        form.querySelector<HTMLElement>('[data-form-error]');
      target?.focus();
    };

    const values = state.values;
    const clientErrors = validate?.(values) ?? {};
    if (Object.keys(clientErrors).length > 0) {
      reject(clientErrors, null);
      return;
    }
    dispatch({ type: 'submitted' });
    try {
      await onSubmit(values);
      dispatch({ type: 'succeeded' });
    } catch (error) {
      const fields = Object.keys(values) as Array<FieldName<V>>;
      const { fieldErrors, formError } = formErrorsFrom(error, fields);
      reject(fieldErrors, formError);
    }
  };

  return {
    values: state.values,
    fieldErrors: state.fieldErrors,
    formError: state.formError,
    submitting: state.status === 'submitting',
    succeeded: state.status === 'succeeded',
    setValue,
    reset,
    handleSubmit: (event: FormEvent<HTMLFormElement>) => void handleSubmit(event),
  };
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Small client-side checks; the server stays the authority on every rule. */
export const validators = {
  required: (value: string, label: string): string | undefined =>
    value.trim() === '' ? `${label} is required.` : undefined,
  email: (value: string): string | undefined => {
    if (value.trim() === '') return 'Email is required.';
    return EMAIL_PATTERN.test(value.trim()) ? undefined : 'Enter an email address like name@company.com.';
  },
  matches: (value: string, other: string): string | undefined =>
    value === other ? undefined : 'The passwords do not match.',
};

/** Drops the fields whose check passed, leaving only real errors. */
export function collectErrors<V extends FormValues>(
  checks: Partial<Record<FieldName<V>, string | undefined>>,
): FieldErrors<V> {
  const errors: FieldErrors<V> = {};
  for (const [field, message] of Object.entries(checks) as Array<[FieldName<V>, string | undefined]>) {
    if (message) errors[field] = message;
  }
  return errors;
}
