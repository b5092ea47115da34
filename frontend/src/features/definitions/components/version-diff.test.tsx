import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { VersionDiff } from '@/features/definitions/components/version-diff';
import type { VersionSummary } from '@/features/definitions/types/definitions';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const designer = makeUser({ system_roles: ['workflow_creator'] });
const versions: VersionSummary[] = [1, 2, 3].map((version) => ({
  id: `v${version}`,
  version,
  name: 'Onboarding',
  created_at: '2026-01-01T00:00:00Z',
  created_by: null,
}));
const empty = { added: [], removed: [], changed: [] };

describe('VersionDiff', () => {
  it('compares the last two versions first, then the ones picked', async () => {
    const server = createFakeServer().on('GET', '/api/definitions/workflows/onboarding/diff', (request) =>
      jsonResponse(200, {
        key: 'onboarding',
        from_version: Number(request.url.searchParams.get('from')),
        to_version: Number(request.url.searchParams.get('to')),
        identical: false,
        properties: [],
        tasks: {
          added: [{ key: 'archive', label: 'Archive (archive)' }],
          removed: [],
          changed: [
            {
              key: 'review',
              label: 'Review (review)',
              changes: [{ path: 'name', change: 'changed', before: 'Review', after: 'Review it' }],
            },
          ],
        },
        transitions: empty,
      }),
    );
    renderWithProviders(<VersionDiff kind="workflow" definitionKey="onboarding" versions={versions} />, {
      user: designer,
      server,
    });

    const tasks = await screen.findByRole('region', { name: 'Tasks' });
    expect(within(tasks).getByText('Archive (archive)')).toBeInTheDocument();
    expect(within(tasks).getByText('Review it')).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Transitions' })).getByText('(no change)')).toBeInTheDocument();
    const first = server.requestsTo('GET', '/api/definitions/workflows/onboarding/diff')[0]?.url.searchParams;
    expect([first?.get('from'), first?.get('to')]).toEqual(['2', '3']);

    await userEvent.setup().selectOptions(screen.getByLabelText('From'), '1');
    await screen.findByRole('region', { name: 'Tasks' });
    const last = server.requestsTo('GET', '/api/definitions/workflows/onboarding/diff').at(-1)?.url.searchParams;
    expect([last?.get('from'), last?.get('to')]).toEqual(['1', '3']);
  });

  it('asks nothing for the same version twice, and says so', async () => {
    const server = createFakeServer().on('GET', '/api/definitions/ticket-types/hire/diff', () =>
      jsonResponse(200, {
        key: 'hire',
        from_version: 2,
        to_version: 3,
        identical: true,
        properties: [],
        fields: empty,
      }),
    );
    renderWithProviders(<VersionDiff kind="ticket-type" definitionKey="hire" versions={versions} />, {
      user: designer,
      server,
    });
    expect(await screen.findByText('The two versions are the same.')).toBeInTheDocument();
    await userEvent.setup().selectOptions(screen.getByLabelText('From'), '3');
    expect(await screen.findByText('Pick two different versions.')).toBeInTheDocument();
    expect(server.requestsTo('GET', '/api/definitions/ticket-types/hire/diff')).toHaveLength(1);
  });

  it('has nothing to compare with one version', async () => {
    renderWithProviders(<VersionDiff kind="workflow" definitionKey="w" versions={versions.slice(0, 1)} />, {
      user: designer,
      server: createFakeServer(),
    });
    expect(await screen.findByText('Only one version')).toBeInTheDocument();
  });
});
