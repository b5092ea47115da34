import { describe, expect, it } from 'vitest';

import { pivotPerDay, toCsv } from '@/features/reports/hooks/csv';

describe('toCsv', () => {
  it('quotes only the fields that need it and doubles quotes', () => {
    expect(
      toCsv(
        ['host', 'error'],
        [
          ['erp.example', 'HTTP 500, "bad"'],
          ['hr', null],
        ],
      ),
    ).toBe('host,error\r\nerp.example,"HTTP 500, ""bad"""\r\nhr,\r\n');
  });
});

describe('pivotPerDay', () => {
  it('zero-fills every day of the range and sums the closed', () => {
    const { days, types } = pivotPerDay(
      [
        { day: '2026-03-02', ticket_type_key: 'leave', created: 2, closed: 1 },
        { day: '2026-03-02', ticket_type_key: 'it', created: 1, closed: 3 },
      ],
      '2026-03-01',
      '2026-03-03',
    );
    expect(types).toEqual(['it', 'leave']);
    expect(days).toEqual([
      { day: '2026-03-01', closed: 0, created: { it: 0, leave: 0 } },
      { day: '2026-03-02', closed: 4, created: { it: 1, leave: 2 } },
      { day: '2026-03-03', closed: 0, created: { it: 0, leave: 0 } },
    ]);
  });
});
