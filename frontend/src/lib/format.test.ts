import { describe, expect, it } from 'vitest';

import { formatDataValue, formatDateTime, formatRelative } from '@/lib/format';

const NOW = Date.parse('2026-12-01T12:00:00Z');

describe('formatRelative', () => {
  it('says how long ago or how soon, in words', () => {
    expect(formatRelative('2026-12-01T11:57:00Z', NOW)).toBe('3 minutes ago');
    expect(formatRelative('2026-12-01T09:00:00Z', NOW)).toBe('3 hours ago');
    expect(formatRelative('2026-11-30T12:00:00Z', NOW)).toBe('yesterday');
    expect(formatRelative('2026-12-03T12:00:00Z', NOW)).toBe('in 2 days');
    expect(formatRelative('2026-12-01T11:59:50Z', NOW)).toBe('now');
  });

  it('leaves what is not a time as it is', () => {
    expect(formatRelative(null, NOW)).toBe('—');
    expect(formatRelative('soon', NOW)).toBe('soon');
  });
});

describe('formatDataValue', () => {
  it('shows ISO dates and times in the locale, never as raw ISO text', () => {
    expect(formatDataValue('2026-03-02')).toBe('Mar 2, 2026');
    expect(formatDataValue('2026-03-02T09:30:00Z')).toBe(formatDateTime('2026-03-02T09:30:00Z'));
    expect(formatDataValue('2026-03-02T09:30:00Z')).not.toContain('T09');
  });

  it('keeps other values readable', () => {
    expect(formatDataValue('Engineering')).toBe('Engineering');
    expect(formatDataValue('2026-03-02 is the day')).toBe('2026-03-02 is the day');
    expect(formatDataValue(true)).toBe('Yes');
    expect(formatDataValue(['a', 'b'])).toBe('a, b');
    expect(formatDataValue('')).toBe('—');
  });
});
