import { describe, expect, it } from 'vitest';

import {
  ApiError,
  errorMessage,
  fieldNameFromLoc,
  formErrorsFrom,
  problemFromBody,
  UNEXPECTED_ERROR_MESSAGE,
  type ProblemDetails,
} from '@/lib/api-error';

function apiError(overrides: Partial<ProblemDetails>): ApiError {
  return new ApiError({ type: 'about:blank', title: 'Unprocessable Content', status: 422, errors: [], ...overrides });
}

describe('fieldNameFromLoc', () => {
  it.each([
    [['body', 'email'], 'email'],
    [['body', 'system_roles', 0], 'system_roles.0'],
    [['query', 'page'], 'page'],
    [['email'], 'email'],
    [['body'], null],
    [[], null],
  ])('%j → %s', (loc, expected) => {
    expect(fieldNameFromLoc(loc)).toBe(expected);
  });
});

describe('formErrorsFrom', () => {
  const fields = ['email', 'password', 'system_roles'] as const;

  it('puts each message next to the field its loc names, keeping the first per field', () => {
    const error = apiError({
      errors: [
        { loc: ['body', 'email'], msg: 'Enter a valid email address.', type: 'value_error' },
        { loc: ['body', 'email'], msg: 'A second complaint.', type: 'value_error' },
        { loc: ['body', 'system_roles', 1], msg: 'Unknown role "boss".', type: 'enum' },
      ],
    });

    expect(formErrorsFrom(error, fields)).toEqual({
      fieldErrors: { email: 'Enter a valid email address.', system_roles: 'Unknown role "boss".' },
      formError: null,
    });
  });

  it('shows errors about fields the form does not have as the form message', () => {
    const error = apiError({
      errors: [
        { loc: ['body', 'password'], msg: 'Too short.', type: 'too_short' },
        { loc: ['body', 'company_id'], msg: 'Unknown company.', type: 'value_error' },
      ],
    });

    expect(formErrorsFrom(error, fields)).toEqual({
      fieldErrors: { password: 'Too short.' },
      formError: 'Unknown company.',
    });
  });

  it('uses the detail of a problem without field errors', () => {
    const error = apiError({ status: 409, title: 'Conflict', detail: 'A user with this email already exists.' });
    expect(formErrorsFrom(error, fields)).toEqual({
      fieldErrors: {},
      formError: 'A user with this email already exists.',
    });
  });

  it('falls back to the title, and to a generic message for errors that are not API errors', () => {
    expect(formErrorsFrom(apiError({ status: 429, title: 'Too Many Requests' }), fields).formError).toBe(
      'Too Many Requests',
    );
    expect(formErrorsFrom(new Error('boom'), fields)).toEqual({
      fieldErrors: {},
      formError: UNEXPECTED_ERROR_MESSAGE,
    });
  });
});

describe('problemFromBody', () => {
  it('drops malformed field errors instead of failing', () => {
    const problem = problemFromBody(422, 'Unprocessable Content', {
      title: 'Invalid',
      errors: [{ loc: ['body', 'email'], msg: 'Bad.', type: 'x' }, { nope: true }, 'junk'],
    });
    expect(problem.errors).toEqual([{ loc: ['body', 'email'], msg: 'Bad.', type: 'x' }]);
  });
});

describe('errorMessage', () => {
  it('prefers the detail, then the first field error, then the title', () => {
    expect(errorMessage(apiError({ detail: 'Role is in use.' }))).toBe('Role is in use.');
    expect(errorMessage(apiError({ errors: [{ loc: ['body', 'name'], msg: 'Name taken.', type: 'x' }] }))).toBe(
      'Name taken.',
    );
    expect(errorMessage(apiError({ title: 'Not Found', status: 404 }))).toBe('Not Found');
  });
});
