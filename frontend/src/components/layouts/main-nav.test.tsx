import { render, screen, within } from '@testing-library/react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it } from 'vitest';

import { MainNav } from '@/components/layouts/main-nav';
import { makeUser } from '@/testing/data';

function navLinks(systemRoles: string[]): string[] {
  render(
    <MemoryRouter>
      <MainNav user={makeUser({ system_roles: systemRoles })} />
    </MemoryRouter>,
  );
  const nav = screen.getByRole('navigation', { name: 'Main' });
  return within(nav)
    .getAllByRole('link')
    .map((link) => link.textContent ?? '');
}

describe('MainNav', () => {
  it('shows a plain user only their own tickets', () => {
    expect(navLinks(['user'])).toEqual(['Dashboard', 'My tickets', 'Submit ticket']);
  });

  it('adds My tasks for task workers', () => {
    expect(navLinks(['user', 'task_worker'])).toEqual([
      'Dashboard',
      'My tickets',
      'Submit ticket',
      'My tasks',
      'Calendar',
    ]);
  });

  it('adds Tickets, Tasks, Assign tasks and Reports for ticket admins', () => {
    expect(navLinks(['ticket_admin'])).toEqual([
      'Dashboard',
      'My tickets',
      'Submit ticket',
      'Tickets',
      'Tasks',
      'Assign tasks',
      'Calendar',
      'Reports',
    ]);
  });

  it('adds Definitions for workflow creators', () => {
    expect(navLinks(['workflow_creator'])).toEqual(['Dashboard', 'My tickets', 'Submit ticket', 'Definitions']);
  });

  it('gives admins everything except the task worker’s own queue', () => {
    expect(navLinks(['user', 'admin'])).toEqual([
      'Dashboard',
      'My tickets',
      'Submit ticket',
      'Tickets',
      'Tasks',
      'Assign tasks',
      'Calendar',
      'Reports',
      'Definitions',
      'Admin',
    ]);
  });

  it('marks the current page', () => {
    render(
      <MemoryRouter initialEntries={['/tickets/mine']}>
        <MainNav user={makeUser()} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'My tickets' })).toHaveAttribute('aria-current', 'page');
    expect(screen.getByRole('link', { name: 'Dashboard' })).not.toHaveAttribute('aria-current');
  });
});
