import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { QuickLinks } from '@/features/dashboard/components/quick-links';
import { makeUser } from '@/testing/data';

function renderLinks(systemRoles: string[]) {
  render(
    <MemoryRouter>
      <QuickLinks user={makeUser({ system_roles: systemRoles })} />
    </MemoryRouter>,
  );
}

describe('QuickLinks', () => {
  it('links a workflow creator who is also a task worker to their sections only', () => {
    renderLinks(['user', 'workflow_creator', 'task_worker']);
    expect(screen.getByRole('link', { name: /My tickets/ })).toHaveAttribute('href', '/tickets/mine');
    expect(screen.getByRole('link', { name: /Submit ticket/ })).toHaveAttribute('href', '/tickets/new');
    expect(screen.getByRole('link', { name: /My tasks/ })).toHaveAttribute('href', '/tasks/mine');
    expect(screen.getByRole('link', { name: /Definitions/ })).toHaveAttribute('href', '/definitions');
    expect(screen.queryByRole('link', { name: /^Admin/ })).not.toBeInTheDocument();
    expect(screen.queryByRole('link', { name: /^Tickets/ })).not.toBeInTheDocument();
  });

  it('links an admin to Admin', () => {
    renderLinks(['admin']);
    expect(screen.getByRole('link', { name: /^Admin/ })).toHaveAttribute('href', '/admin');
  });
});
