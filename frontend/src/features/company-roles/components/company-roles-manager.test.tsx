import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { CompanyRolesManager } from '@/features/company-roles/components/company-roles-manager';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const admin = makeUser({ system_roles: ['admin'] });
const ROLES = [
  { id: 'r-user', name: 'user' },
  { id: 'r-hr', name: 'hr' },
];

function rowOf(name: string): HTMLElement {
  const list = screen.getByRole('list', { name: 'Company roles' });
  const row = within(list)
    .getAllByRole('listitem')
    .find((item) => item.textContent?.startsWith(name));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('CompanyRolesManager', () => {
  it('lists the roles and offers no rename or delete for the default role "user"', async () => {
    const server = createFakeServer().on('GET', '/api/identity/company-roles', jsonResponse(200, ROLES));
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });

    await screen.findByRole('list', { name: 'Company roles' });
    const userRow = rowOf('user');
    expect(within(userRow).queryByRole('button')).not.toBeInTheDocument();
    expect(userRow).toHaveTextContent('cannot be renamed or deleted');
    expect(within(rowOf('hr')).getByRole('button', { name: 'Delete hr' })).toBeInTheDocument();
  });

  it('deletes a role only after confirmation', async () => {
    const server = createFakeServer()
      .on('GET', '/api/identity/company-roles', jsonResponse(200, ROLES))
      .on('DELETE', '/api/identity/company-roles/r-hr', new Response(null, { status: 204 }));
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete hr' }));
    expect(server.requestsTo('DELETE', '/api/identity/company-roles/r-hr')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));

    await screen.findByText('Every user holds this role; it cannot be renamed or deleted.');
    expect(screen.queryByText('hr')).not.toBeInTheDocument();
    expect(server.requestsTo('DELETE', '/api/identity/company-roles/r-hr')).toHaveLength(1);
  });

  it('shows why a delete was refused on the role’s row and keeps the role', async () => {
    const server = createFakeServer()
      .on('GET', '/api/identity/company-roles', jsonResponse(200, ROLES))
      .on(
        'DELETE',
        '/api/identity/company-roles/r-hr',
        problemResponse(409, 'Conflict', { detail: 'The role is used by a ticket type.' }),
      );
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete hr' }));
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The role is used by a ticket type.');
    expect(screen.getByText(/Delete the role “hr”\?/)).toBeInTheDocument();
  });

  it('creates a role and shows a name problem next to the name field', async () => {
    const server = createFakeServer()
      .on('GET', '/api/identity/company-roles', jsonResponse(200, ROLES))
      .on(
        'POST',
        '/api/identity/company-roles',
        problemResponse(409, 'Conflict', {
          errors: [{ loc: ['body', 'name'], msg: 'A role with this name exists.', type: 'unique' }],
        }),
        jsonResponse(201, { id: 'r-fin', name: 'finance' }),
      );
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });
    const user = userEvent.setup();
    await screen.findByRole('list', { name: 'Company roles' });

    const name = screen.getByLabelText(/^Role name/);
    await user.type(name, 'hr');
    await user.click(screen.getByRole('button', { name: 'Create role' }));
    expect(name).toHaveAccessibleDescription(expect.stringContaining('A role with this name exists.'));

    await user.clear(name);
    await user.type(name, ' finance ');
    await user.click(screen.getByRole('button', { name: 'Create role' }));

    expect(await screen.findByText('finance')).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/identity/company-roles').map((r) => r.body)).toEqual([
      { name: 'hr' },
      { name: 'finance' },
    ]);
    expect(name).toHaveValue('');
  });
});
