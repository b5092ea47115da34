import { describe, expect, it } from 'vitest';

import { collectErrors, formReducer, initialFormState, validators, type FormState } from '@/hooks/use-form';

type Values = { email: string; password: string };

describe('formReducer', () => {
  const start = initialFormState<Values>({ email: '', password: '' });

  it('changes a value and clears only that field’s error', () => {
    const withErrors: FormState<Values> = {
      ...start,
      fieldErrors: { email: 'Email is required.', password: 'Password is required.' },
    };
    const next = formReducer(withErrors, { type: 'changed', field: 'email', value: 'a@b.test' });
    expect(next.values).toEqual({ email: 'a@b.test', password: '' });
    expect(next.fieldErrors).toEqual({ password: 'Password is required.' });
  });

  it('goes submitting → rejected with the errors to show', () => {
    const submitting = formReducer({ ...start, formError: 'old' }, { type: 'submitted' });
    expect(submitting.status).toBe('submitting');
    expect(submitting.formError).toBeNull();

    const rejected = formReducer(submitting, {
      type: 'rejected',
      fieldErrors: { email: 'Taken.' },
      formError: 'Fix the form.',
    });
    expect(rejected).toMatchObject({ status: 'idle', fieldErrors: { email: 'Taken.' }, formError: 'Fix the form.' });
  });

  it('succeeds, and the success clears as soon as the user edits again', () => {
    const succeeded = formReducer(formReducer(start, { type: 'submitted' }), { type: 'succeeded' });
    expect(succeeded.status).toBe('succeeded');
    expect(formReducer(succeeded, { type: 'changed', field: 'password', value: 'x' }).status).toBe('idle');
  });

  it('resets to new values with no errors', () => {
    const dirty: FormState<Values> = { ...start, values: { email: 'a', password: 'b' }, formError: 'x' };
    expect(formReducer(dirty, { type: 'reset', values: { email: '', password: '' } })).toEqual(start);
  });
});

describe('validators and collectErrors', () => {
  it('keeps only the failing checks', () => {
    expect(
      collectErrors<Values>({
        email: validators.email('not-an-email'),
        password: validators.required('secret', 'Password'),
      }),
    ).toEqual({ email: 'Enter an email address like name@company.com.' });
  });

  it('checks required values, emails and matching passwords', () => {
    expect(validators.required('  ', 'Name')).toBe('Name is required.');
    expect(validators.email('')).toBe('Email is required.');
    expect(validators.email('ada@acme.test')).toBeUndefined();
    expect(validators.matches('a', 'b')).toBe('The passwords do not match.');
    expect(validators.matches('a', 'a')).toBeUndefined();
  });
});
