import { describe, expect, it } from 'vitest';

import { displaySections, fieldOrder, fieldTitle, formSchema } from '@/components/json-schema-form/layout';

const schema = {
  type: 'object',
  properties: { approved: { type: 'boolean', title: 'Approved' }, laptop: { type: 'string' }, comment: {} },
};

describe('fieldOrder', () => {
  it('puts the layout fields first, drops unknown ones and keeps the rest', () => {
    expect(fieldOrder(schema, { sections: [{ fields: ['laptop', 'ghost', 'approved', 'laptop'] }] })).toEqual([
      'laptop',
      'approved',
      '*',
    ]);
    expect(fieldOrder(schema, null)).toEqual(['*']);
  });
});

describe('displaySections', () => {
  it('groups data by the layout and never hides the rest', () => {
    const data = { employee_name: 'Grace', department: 'Engineering', account_id: 'acc-1' };
    expect(
      displaySections(data, {
        sections: [{ title: 'Request', fields: ['employee_name', 'department', 'start_date'] }],
      }),
    ).toEqual([
      { title: 'Request', fields: ['employee_name', 'department'] },
      { title: 'Other', fields: ['account_id'] },
    ]);
    expect(displaySections({ a: 1 }, undefined)).toEqual([{ title: null, fields: ['a'] }]);
  });
});

describe('fieldTitle and formSchema', () => {
  it('uses the schema title, else a readable key', () => {
    expect(fieldTitle(schema, 'approved')).toBe('Approved');
    expect(fieldTitle(schema, 'start_date')).toBe('Start date');
  });

  it('makes an empty schema an object schema', () => {
    expect(formSchema({})).toEqual({ type: 'object' });
    expect(formSchema(schema)).toBe(schema);
  });
});
