import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { AllowlistPanel } from '@/features/integrations/components/panels';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const admin = makeUser({ system_roles: ['user', 'admin'] });
const entry = (id: string, value: string) => ({
  id,
  entry: value,
  kind: 'cidr',
  note: '',
  created_at: '2026-01-01T00:00:00Z',
});

describe('AllowlistPanel', () => {
  it('adds an entry, then reads the list again and says so', async () => {
    const server = createFakeServer()
      .on('GET', '/api/actions/allowlist', jsonResponse(200, []), jsonResponse(200, [entry('e1', '10.1.0.0/16')]))
      .on('POST', '/api/actions/allowlist', jsonResponse(201, entry('e1', '10.1.0.0/16')));
    renderWithProviders(<AllowlistPanel />, { user: admin, server });

    expect(await screen.findByText('Nothing allowed')).toBeInTheDocument();
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('CIDR block or host'), '10.1.0.0/16');
    await user.click(screen.getByRole('button', { name: 'Add' }));

    expect(await screen.findByText('Added.')).toBeInTheDocument();
    expect(await screen.findByText('10.1.0.0/16')).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/actions/allowlist')[0]?.body).toMatchObject({ entry: '10.1.0.0/16' });
    expect(server.requestsTo('GET', '/api/actions/allowlist')).toHaveLength(2);
  });

  it('shows a refused action’s problem and leaves the list as it was', async () => {
    const server = createFakeServer()
      .on('GET', '/api/actions/allowlist', jsonResponse(200, [entry('e1', '10.1.0.0/16')]))
      .on(
        'DELETE',
        '/api/actions/allowlist/e1',
        problemResponse(403, 'Forbidden', { detail: 'Only an admin may change the allowlist.' }),
      );
    renderWithProviders(<AllowlistPanel />, { user: admin, server });

    const item = (await screen.findByText('10.1.0.0/16')).closest('li');
    expect(item).not.toBeNull();
    await userEvent.setup().click(within(item as HTMLElement).getByRole('button', { name: 'Remove 10.1.0.0/16' }));

    expect(await screen.findByText('Only an admin may change the allowlist.')).toBeInTheDocument();
    expect(screen.getByText('10.1.0.0/16')).toBeInTheDocument();
    expect(server.requestsTo('GET', '/api/actions/allowlist')).toHaveLength(1);
  });
});
