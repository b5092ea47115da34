import { describe, expect, it } from 'vitest';

import { ApiError } from '@/lib/api-error';
import { errorTreeFrom } from '@/lib/error-schema';

function problem(errors: Array<{ loc: Array<string | number>; msg: string }>) {
  return new ApiError({
    type: 'about:blank',
    title: 'Validation failed',
    status: 422,
    errors: errors.map((e) => ({ ...e, type: 'x' })),
  });
}

describe('errorTreeFrom', () => {
  it('places each problem at its field under the prefix', () => {
    const result = errorTreeFrom(
      problem([
        { loc: ['body', 'ticket_data', 'employee_name'], msg: 'too short' },
        { loc: ['body', 'ticket_data', 'items', 0, 'qty'], msg: 'must be positive' },
        { loc: ['body', 'ticket_data', 'employee_name'], msg: 'required' },
      ]),
      ['body', 'ticket_data'],
    );
    expect(result?.tree).toEqual({
      employee_name: { __errors: ['too short', 'required'] },
      items: { '0': { qty: { __errors: ['must be positive'] } } },
    });
    expect(result?.unplaced).toEqual([]);
  });

  it('puts problems about the whole data at the root and others apart', () => {
    const result = errorTreeFrom(
      problem([
        { loc: ['body', 'output'], msg: "'laptop' is a required property" },
        { loc: ['body', 'expected_version'], msg: 'stale' },
      ]),
      ['body', 'output'],
    );
    expect(result?.tree).toEqual({ __errors: ["'laptop' is a required property"] });
    expect(result?.unplaced).toEqual(['stale']);
  });

  it('is null for errors without field problems', () => {
    expect(errorTreeFrom(new Error('boom'), ['body'])).toBeNull();
    expect(errorTreeFrom(problem([]), ['body'])).toBeNull();
  });
});
