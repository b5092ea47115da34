import { describe, expect, it } from 'vitest';

import { submitterLabel } from '@/features/tickets/utils/people';
import { actorLabel } from '@/lib/people';

describe('submitterLabel', () => {
  const base = { submitted_by: 'u-1', submitted_by_name: null, submitted_by_email: null, source: 'api' };

  it('names the person, never the channel or an id', () => {
    expect(submitterLabel({ ...base, submitted_by_name: 'Rita Requester' })).toBe('Rita Requester');
    expect(submitterLabel(base)).toBe('A user of your company');
    expect(submitterLabel(base)).not.toContain('api');
  });

  it('falls back to what an external system said', () => {
    const inbound = { ...base, submitted_by: null, source: 'inbound' };
    expect(submitterLabel({ ...inbound, submitted_by_email: 'erp@example.com' })).toBe('erp@example.com');
    expect(submitterLabel(inbound)).toBe('An external system');
  });
});

describe('actorLabel', () => {
  it('prefers the name and never shows a user id', () => {
    expect(actorLabel({ actor_kind: 'user', actor_id: '0190-abc', actor_name: 'Walt Worker' })).toBe('Walt Worker');
    expect(actorLabel({ actor_kind: 'user', actor_id: '0190-abc' })).not.toContain('0190');
    expect(actorLabel({ actor_kind: 'system', actor_id: 'engine' })).toBe('the system (engine)');
  });
});
