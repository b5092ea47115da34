import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { UserDetail } from '@/features/users/components/user-detail';
import { UsersList } from '@/features/users/components/users-list';
import type { CompanyRoleOptions } from '@/features/users/types/users';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const admin = makeUser({ first_name: 'Ada', system_roles: ['user', 'admin'] });
const bob = makeUser({ first_name: 'Bob', last_name: 'Builder', system_roles: ['user'], company_roles: ['user'] });
const companyRoles: CompanyRoleOptions = { status: 'ready', names: ['user', 'hr', 'finance'] };
const userPath = (id: string) => `/api/identity/users/${id}`;

describe('UserDetail', () => {
  it('assigns system and company roles', async () => {
    const server = createFakeServer()
      .on('GET', userPath(bob.id), jsonResponse(200, bob))
      .on('PUT', `${userPath(bob.id)}/roles`, (request) => jsonResponse(200, { ...bob, ...(request.body as object) }));
    renderWithProviders(<UserDetail userId={bob.id} companyRoles={companyRoles} />, { user: admin, server });
    const user = userEvent.setup();

    const systemRoles = await screen.findByRole('group', { name: 'System roles' });
    await user.click(within(systemRoles).getByRole('checkbox', { name: /Task worker/ }));
    const companyRoleGroup = screen.getByRole('group', { name: 'Company roles' });
    await user.click(within(companyRoleGroup).getByRole('checkbox', { name: 'hr' }));
    await user.click(screen.getByRole('button', { name: 'Save roles' }));

    expect(await screen.findByText('The roles have been saved.')).toBeInTheDocument();
    expect(server.requestsTo('PUT', `${userPath(bob.id)}/roles`)[0]?.body).toEqual({
      system_roles: ['user', 'task_worker'],
      company_roles: ['hr', 'user'],
    });
  });

  it('shows one banner at a time: each success replaces the creation notice and the one before', async () => {
    const server = createFakeServer()
      .on('GET', userPath(bob.id), jsonResponse(200, bob))
      .on('PATCH', userPath(bob.id), (request) => jsonResponse(200, { ...bob, ...(request.body as object) }))
      .on('PUT', `${userPath(bob.id)}/roles`, (request) => jsonResponse(200, { ...bob, ...(request.body as object) }));
    renderWithProviders(
      <UserDetail userId={bob.id} companyRoles={companyRoles} notice="Bob Builder has been created." />,
      { user: admin, server },
    );
    const user = userEvent.setup();
    expect(await screen.findByText('Bob Builder has been created.')).toBeInTheDocument();

    const firstName = screen.getByLabelText(/^First name/);
    await user.clear(firstName);
    await user.type(firstName, 'Robert');
    await user.click(screen.getByRole('button', { name: 'Save details' }));
    expect(await screen.findByText('The details have been saved.')).toBeInTheDocument();
    expect(screen.queryByText('Bob Builder has been created.')).not.toBeInTheDocument();

    await user.click(
      within(screen.getByRole('group', { name: 'Company roles' })).getByRole('checkbox', { name: 'hr' }),
    );
    await user.click(screen.getByRole('button', { name: 'Save roles' }));
    expect(await screen.findByText('The roles have been saved.')).toBeInTheDocument();
    expect(screen.queryByText('The details have been saved.')).not.toBeInTheDocument();
    expect(screen.getAllByRole('status').filter((el) => el.textContent?.includes('saved'))).toHaveLength(1);
  });

  it('deactivates another user after confirmation', async () => {
    const server = createFakeServer()
      .on('GET', userPath(bob.id), jsonResponse(200, bob))
      .on('POST', `${userPath(bob.id)}/deactivate`, jsonResponse(200, { ...bob, is_active: false }));
    renderWithProviders(<UserDetail userId={bob.id} companyRoles={companyRoles} />, { user: admin, server });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Deactivate user' }));
    await user.click(screen.getByRole('button', { name: 'Yes, deactivate' }));

    expect(await screen.findByText(/This account is deactivated/)).toBeInTheDocument();
    expect(server.requestsTo('POST', `${userPath(bob.id)}/deactivate`)).toHaveLength(1);
  });

  it('keeps the confirmation and shows why a deactivation was refused; cancelling clears it', async () => {
    const server = createFakeServer()
      .on('GET', userPath(bob.id), jsonResponse(200, bob))
      .on(
        'POST',
        `${userPath(bob.id)}/deactivate`,
        problemResponse(409, 'Conflict', { detail: 'The last admin cannot be deactivated.' }),
      );
    renderWithProviders(<UserDetail userId={bob.id} companyRoles={companyRoles} />, { user: admin, server });
    const user = userEvent.setup();

    await user.click(await screen.findByRole('button', { name: 'Deactivate user' }));
    await user.click(screen.getByRole('button', { name: 'Yes, deactivate' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The last admin cannot be deactivated.');
    expect(screen.getByRole('button', { name: 'Yes, deactivate' })).toBeEnabled();
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    await user.click(screen.getByRole('button', { name: 'Deactivate user' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows what a save answered without asking again, and reads the users list again', async () => {
    const server = createFakeServer()
      .on('GET', userPath(bob.id), jsonResponse(200, bob))
      .on('GET', '/api/identity/users', () => jsonResponse(200, { items: [bob], total: 1, page: 1, page_size: 20 }))
      .on('PATCH', userPath(bob.id), (request) => jsonResponse(200, { ...bob, ...(request.body as object) }));
    renderWithProviders(
      <>
        <UsersList />
        <UserDetail userId={bob.id} companyRoles={companyRoles} />
      </>,
      { user: admin, server },
    );
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Bob Builder' });

    const firstName = await screen.findByLabelText(/^First name/);
    await user.clear(firstName);
    await user.type(firstName, 'Robert');
    await user.click(screen.getByRole('button', { name: 'Save details' }));

    expect(await screen.findByRole('heading', { name: 'Robert Builder' })).toBeInTheDocument();
    expect(server.requestsTo('GET', userPath(bob.id))).toHaveLength(1);
    await waitFor(() => expect(server.requestsTo('GET', '/api/identity/users')).toHaveLength(2));
  });

  it('does not offer admins to deactivate themselves', async () => {
    const server = createFakeServer().on('GET', userPath(admin.id), jsonResponse(200, admin));
    renderWithProviders(<UserDetail userId={admin.id} companyRoles={companyRoles} />, { user: admin, server });

    expect(await screen.findByText('You cannot deactivate your own account.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Deactivate user' })).not.toBeInTheDocument();
  });
});
