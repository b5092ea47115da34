import { describe, expect, it } from 'vitest';

import { countPerDay } from '@/features/metrics/hooks/per-day';

describe('countPerDay', () => {
  it('counts each local day, oldest first, with empty days as zero', () => {
    const today = new Date(2030, 0, 6, 15, 0);
    const stamps = [
      new Date(2030, 0, 6, 9).toISOString(),
      new Date(2030, 0, 6, 10).toISOString(),
      new Date(2030, 0, 4, 12).toISOString(),
      new Date(2029, 11, 1).toISOString(),
    ];
    expect(countPerDay(stamps, 3, today)).toEqual([
      { day: '2030-01-04', count: 1 },
      { day: '2030-01-05', count: 0 },
      { day: '2030-01-06', count: 2 },
    ]);
  });
});
