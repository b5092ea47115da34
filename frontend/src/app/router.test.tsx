import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { StrictMode } from 'react';
import { MemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';

import { AppRoutes } from '@/app/router';
import { AuthProvider } from '@/lib/auth';
import { createQueryClient, QueryProvider } from '@/lib/query';
import { sessionMarker } from '@/lib/session-marker';
import { makeSession, makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';
import type { User } from '@/types/api';

const admin = makeUser({ first_name: 'Ada', system_roles: ['user', 'admin'] });
const plainUser = makeUser({ first_name: 'Bob', system_roles: ['user'] });

function usersPage(items: User[]) {
  return jsonResponse(200, { items, total: items.length, page: 1, page_size: 20 });
}

const location = () => screen.getByTestId('location').textContent;

describe('app routes', () => {
  it('restores the session on start from the refresh cookie, with a single refresh even in StrictMode', async () => {
    const server = createFakeServer().on('POST', '/api/identity/refresh', jsonResponse(200, makeSession(admin)));
    vi.stubGlobal('fetch', server.fetch);
    sessionMarker.set();
    render(
      <StrictMode>
        <MemoryRouter initialEntries={['/']}>
          <AuthProvider>
            {/* The dashboard reads its figures through the query cache. */}
            <QueryProvider client={createQueryClient({ retry: false })}>
              <AppRoutes />
            </QueryProvider>
          </AuthProvider>
        </MemoryRouter>
      </StrictMode>,
    );

    expect(screen.getByText('Loading TicketFlower…')).toBeInTheDocument();
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Ada' })).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(1);
  });

  it('does not try to restore a session in a browser where nobody signed in (no failed 401 on every visit)', async () => {
    const server = createFakeServer().on('POST', '/api/identity/refresh', problemResponse(401, 'Unauthorized'));
    renderWithProviders(<AppRoutes />, { route: '/tickets/mine', server });

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(0);
  });

  it('signing in leaves the marker, so the next visit restores the session; signing out removes it', async () => {
    const server = createFakeServer()
      .on('POST', '/api/identity/login', jsonResponse(200, makeSession(admin)))
      .on('POST', '/api/identity/logout', new Response(null, { status: 204 }));
    renderWithProviders(<AppRoutes />, { route: '/login', server });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText(/^email/i), admin.email);
    await user.type(screen.getByLabelText(/^password/i), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Ada' })).toBeInTheDocument();
    expect(sessionMarker.present()).toBe(true);

    await user.click((await screen.findAllByRole('link', { name: 'Sign out' }))[0]!);
    expect(await screen.findByText('You have been signed out.')).toBeInTheDocument();
    expect(sessionMarker.present()).toBe(false);
  });

  it('sends visitors without a session to the login page, then back where they were going', async () => {
    const server = createFakeServer()
      .on('POST', '/api/identity/login', jsonResponse(200, makeSession(admin)))
      .on('GET', '/api/identity/users', usersPage([admin]));
    renderWithProviders(<AppRoutes />, { route: '/admin/users?q=ada', server });

    expect(await screen.findByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(location()).toBe('/login');

    const user = userEvent.setup();
    await user.type(screen.getByLabelText(/^email/i), admin.email);
    await user.type(screen.getByLabelText(/^password/i), 'secret');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
    expect(location()).toBe('/admin/users?q=ada');
  });

  it('answers 403 in place when the user’s roles do not open the page, without calling its API', async () => {
    const server = createFakeServer();
    renderWithProviders(<AppRoutes />, { user: plainUser, route: '/admin/users', server });

    expect(
      await screen.findByRole('heading', { level: 1, name: "You don't have access to this page" }),
    ).toBeInTheDocument();
    expect(location()).toBe('/admin/users');
    expect(server.requestsTo('GET', '/api/identity/users')).toHaveLength(0);
  });

  it('opens a section to the roles it is for', async () => {
    const worker = makeUser({ system_roles: ['task_worker'] });
    const server = createFakeServer()
      .on('GET', '/api/engine/tasks/mine', jsonResponse(200, { items: [], total: 0, page: 1, page_size: 20 }))
      .on(
        'GET',
        '/api/engine/workers/me',
        jsonResponse(200, {
          user_id: worker.id,
          email: worker.email,
          display_name: 'Ada Lovelace',
          is_active: true,
          available: true,
          open_tasks: 0,
          last_assigned_at: null,
        }),
      );
    renderWithProviders(<AppRoutes />, { user: worker, route: '/tasks/mine', server });
    expect(await screen.findByRole('heading', { level: 1, name: 'My tasks' })).toBeInTheDocument();
    expect(await screen.findByText('Nothing to do right now')).toBeInTheDocument();
    expect(screen.getByRole('switch', { name: 'Available for new tasks' })).toBeChecked();
  });

  it('says "Not found" for a ticket the user cannot see, exactly as for one that does not exist', async () => {
    const server = createFakeServer().on(
      'GET',
      '/api/tickets/tickets/0190a0b0-0000-7000-8000-00000000dead',
      problemResponse(404, 'Not found', { detail: 'No such ticket.' }),
    );
    renderWithProviders(<AppRoutes />, {
      user: plainUser,
      route: '/tickets/0190a0b0-0000-7000-8000-00000000dead',
      server,
    });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not found' })).toBeInTheDocument();
  });

  it('says "Not found" inside the app, with its navigation, for a malformed ticket id', async () => {
    const server = createFakeServer().on(
      'GET',
      '/api/tickets/tickets/not-a-ticket',
      problemResponse(404, 'Not found', { detail: 'Nothing exists at this address.' }),
    );
    renderWithProviders(<AppRoutes />, { user: plainUser, route: '/tickets/not-a-ticket', server });
    expect(await screen.findByRole('heading', { level: 1, name: 'Not found' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.queryByText(/request is not valid/i)).not.toBeInTheDocument();
  });

  it('shows the not-found page for unknown addresses inside the app shell, navigation included', async () => {
    renderWithProviders(<AppRoutes />, { user: plainUser, route: '/no/such/page' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.getByRole('navigation', { name: 'Main' })).toBeInTheDocument();
    expect(screen.getAllByRole('link', { name: 'Sign out' }).length).toBeGreaterThan(0);
  });

  it('shows a plain not-found page to a visitor who is not signed in', async () => {
    renderWithProviders(<AppRoutes />, { route: '/no/such/page' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
    expect(screen.queryByRole('navigation', { name: 'Main' })).not.toBeInTheDocument();
  });

  it('sends the user to login with a message when the session expires and cannot be refreshed', async () => {
    const server = createFakeServer()
      .on('POST', '/api/identity/refresh', jsonResponse(200, makeSession(admin)), problemResponse(401, 'Unauthorized'))
      .on('GET', '/api/identity/users', problemResponse(401, 'Unauthorized'));
    renderWithProviders(<AppRoutes />, { user: admin, route: '/admin/users', server });

    expect(await screen.findByText('Your session has expired. Please sign in again.')).toBeInTheDocument();
    expect(screen.getByRole('heading', { level: 1, name: 'Sign in' })).toBeInTheDocument();
    expect(location()).toBe('/login');
    expect(server.requestsTo('GET', '/api/identity/users')).toHaveLength(1);
  });

  it('signs out through the server and says so on the login page', async () => {
    const server = createFakeServer().on('POST', '/api/identity/logout', new Response(null, { status: 204 }));
    renderWithProviders(<AppRoutes />, { user: plainUser, route: '/', server });

    const signOut = await screen.findAllByRole('link', { name: 'Sign out' });
    await userEvent.setup().click(signOut[0]!);

    expect(await screen.findByText('You have been signed out.')).toBeInTheDocument();
    const logout = server.requestsTo('POST', '/api/identity/logout');
    expect(logout).toHaveLength(1);
    expect(logout[0]?.headers.get('X-TF-CSRF')).toBe('1');
    expect(location()).toBe('/login');

    // Signed out for real: protected pages send back to login.
    await waitFor(() => expect(screen.queryByRole('link', { name: 'Sign out' })).not.toBeInTheDocument());
  });

  it('keeps signed-in users away from the login page', async () => {
    renderWithProviders(<AppRoutes />, { user: plainUser, route: '/login' });
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome, Bob' })).toBeInTheDocument();
    expect(location()).toBe('/');
  });
});
