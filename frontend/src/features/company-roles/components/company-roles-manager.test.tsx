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

/** The roles as the service keeps them: a write changes what the next list answers. */
function rolesStore() {
  let roles = [...ROLES];
  return {
    list: () => jsonResponse(200, roles),
    add: (role: { id: string; name: string }) => () => {
      roles = [...roles, role];
      return jsonResponse(201, role);
    },
    remove: (id: string) => () => {
      roles = roles.filter((role) => role.id !== id);
      return new Response(null, { status: 204 });
    },
  };
}

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

  it('deletes a role only after confirmation, then reads the roles again', async () => {
    const store = rolesStore();
    const server = createFakeServer()
      .on('GET', '/api/identity/company-roles', store.list)
      .on('DELETE', '/api/identity/company-roles/r-hr', store.remove('r-hr'));
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Delete hr' }));
    expect(server.requestsTo('DELETE', '/api/identity/company-roles/r-hr')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Yes, delete' }));

    await screen.findByText('Every user holds this role; it cannot be renamed or deleted.');
    expect(screen.queryByText('hr')).not.toBeInTheDocument();
    expect(server.requestsTo('DELETE', '/api/identity/company-roles/r-hr')).toHaveLength(1);
    expect(server.requestsTo('GET', '/api/identity/company-roles')).toHaveLength(2);
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
    const store = rolesStore();
    const server = createFakeServer()
      .on('GET', '/api/identity/company-roles', store.list)
      .on(
        'POST',
        '/api/identity/company-roles',
        problemResponse(409, 'Conflict', {
          errors: [{ loc: ['body', 'name'], msg: 'A role with this name exists.', type: 'unique' }],
        }),
        store.add({ id: 'r-fin', name: 'finance' }),
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
    // Read again once after the role was made, not after the refused attempt.
    expect(server.requestsTo('GET', '/api/identity/company-roles')).toHaveLength(2);
    expect(within(screen.getByRole('list', { name: 'Company roles' })).getAllByRole('listitem')).toHaveLength(3);
  });

  it('renames a role in place, and the list shows the name the service now has', async () => {
    let roles = [...ROLES];
    const server = createFakeServer()
      .on('GET', '/api/identity/company-roles', () => jsonResponse(200, roles))
      .on('PATCH', '/api/identity/company-roles/r-hr', (request) => {
        roles = roles.map((role) => (role.id === 'r-hr' ? { ...role, ...(request.body as object) } : role));
        return jsonResponse(
          200,
          roles.find((role) => role.id === 'r-hr'),
        );
      });
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Rename hr' }));
    const field = screen.getByLabelText(/^New name for “hr”/);
    await user.clear(field);
    await user.type(field, 'people{Enter}');

    expect(await screen.findByRole('button', { name: 'Rename people' })).toBeInTheDocument();
    expect(server.requestsTo('PATCH', '/api/identity/company-roles/r-hr').map((r) => r.body)).toEqual([
      { name: 'people' },
    ]);
    expect(server.requestsTo('GET', '/api/identity/company-roles')).toHaveLength(2);
    expect(screen.queryByLabelText(/^New name/)).not.toBeInTheDocument();
  });

  it('shows a load failure with a way to retry', async () => {
    const server = createFakeServer().on(
      'GET',
      '/api/identity/company-roles',
      problemResponse(503, 'Service Unavailable', { detail: 'Identity is starting up.' }),
      jsonResponse(200, ROLES),
    );
    renderWithProviders(<CompanyRolesManager />, { user: admin, server });

    expect(await screen.findByRole('alert')).toHaveTextContent('Identity is starting up.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('list', { name: 'Company roles' })).toBeInTheDocument();
  });
});
