import { describe, expect, it } from 'vitest';

import { contentsOf } from '@/features/definitions/hooks/use-bundle-import';

describe('contentsOf', () => {
  it('names the workflow, its task count and the ticket types of an exported bundle', () => {
    const text = [
      'workflow:',
      '  key: onboarding',
      '  name: Onboarding',
      '  tasks: [{key: a}, {key: b}]',
      'ticket_types:',
      '  - key: hire',
      '    name: New hire',
    ].join('\n');
    expect(contentsOf(text)).toEqual({
      workflow: { key: 'onboarding', name: 'Onboarding', tasks: 2 },
      ticketTypes: [{ key: 'hire', name: 'New hire' }],
    });
  });

  it('reads JSON as well as YAML', () => {
    expect(contentsOf('{"workflow": {"key": "w", "tasks": []}}')?.workflow).toEqual({ key: 'w', name: 'w', tasks: 0 });
  });

  it('refuses a file that is no bundle', () => {
    expect(contentsOf('just: text')).toBeNull();
    expect(contentsOf('- a\n- b')).toBeNull();
    expect(contentsOf('workflow: {name: no key}')).toBeNull();
  });
});
