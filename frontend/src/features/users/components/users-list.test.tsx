import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { UsersList } from '@/features/users/components/users-list';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse, type RecordedRequest } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

const admin = makeUser({ system_roles: ['admin'] });

function pageOf(request: RecordedRequest) {
  const page = Number(request.url.searchParams.get('page'));
  const q = request.url.searchParams.get('q') ?? '';
  const items = [makeUser({ first_name: q ? 'Found' : `Person${page}`, last_name: 'Example' })];
  return jsonResponse(200, { items, total: 45, page, page_size: 20 });
}

describe('UsersList', () => {
  it('loads the first page, then pages forward', async () => {
    const server = createFakeServer().on('GET', '/api/identity/users', pageOf);
    renderWithProviders(<UsersList />, { user: admin, server });

    expect(await screen.findByRole('link', { name: 'Person1 Example' })).toBeInTheDocument();
    expect(screen.getByText('Page 1 of 3 · 45 users')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await userEvent.setup().click(screen.getByRole('button', { name: 'Next' }));

    expect(await screen.findByRole('link', { name: 'Person2 Example' })).toBeInTheDocument();
    const query = server.requestsTo('GET', '/api/identity/users').at(-1)?.url.searchParams;
    expect(query?.get('page')).toBe('2');
    expect(query?.get('page_size')).toBe('20');
  });

  it('searches from the first page', async () => {
    const server = createFakeServer().on('GET', '/api/identity/users', pageOf);
    renderWithProviders(<UsersList />, { user: admin, server });
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Person1 Example' });
    await user.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByRole('link', { name: 'Person2 Example' });

    await user.type(screen.getByLabelText('Search users'), 'ada{Enter}');

    expect(await screen.findByRole('link', { name: 'Found Example' })).toBeInTheDocument();
    const query = server.requestsTo('GET', '/api/identity/users').at(-1)?.url.searchParams;
    expect(query?.get('q')).toBe('ada');
    expect(query?.get('page')).toBe('1');
  });

  it('reads the same search again when it is submitted again', async () => {
    const server = createFakeServer().on('GET', '/api/identity/users', pageOf);
    renderWithProviders(<UsersList />, { user: admin, server });
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Person1 Example' });
    await user.type(screen.getByLabelText('Search users'), 'ada{Enter}');
    await screen.findByRole('link', { name: 'Found Example' });
    const asked = server.requestsTo('GET', '/api/identity/users').length;

    await user.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() => expect(server.requestsTo('GET', '/api/identity/users')).toHaveLength(asked + 1));
    expect(server.requestsTo('GET', '/api/identity/users').at(-1)?.url.searchParams.get('q')).toBe('ada');
  });

  it('keeps the shown page while the next one loads', async () => {
    let release: () => void = () => undefined;
    const server = createFakeServer().on('GET', '/api/identity/users', (request) =>
      request.url.searchParams.get('page') === '2'
        ? new Promise<Response>((resolve) => {
            release = () => resolve(pageOf(request));
          })
        : pageOf(request),
    );
    renderWithProviders(<UsersList />, { user: admin, server });
    const user = userEvent.setup();
    await screen.findByRole('link', { name: 'Person1 Example' });

    await user.click(screen.getByRole('button', { name: 'Next' }));

    expect(screen.getByRole('link', { name: 'Person1 Example' })).toBeInTheDocument();
    expect(screen.getByRole('table')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();
    release();
    expect(await screen.findByRole('link', { name: 'Person2 Example' })).toBeInTheDocument();
    expect(screen.getByRole('table')).not.toHaveAttribute('aria-busy');
  });

  it('says when a search finds nobody', async () => {
    const server = createFakeServer().on('GET', '/api/identity/users', (request) =>
      request.url.searchParams.get('q')
        ? jsonResponse(200, { items: [], total: 0, page: 1, page_size: 20 })
        : pageOf(request),
    );
    renderWithProviders(<UsersList />, { user: admin, server });
    await screen.findByRole('link', { name: 'Person1 Example' });

    await userEvent.setup().type(screen.getByLabelText('Search users'), 'zed{Enter}');

    expect(await screen.findByText('No users match “zed”')).toBeInTheDocument();
  });

  it('shows a load failure with a way to retry', async () => {
    const server = createFakeServer().on(
      'GET',
      '/api/identity/users',
      problemResponse(503, 'Service Unavailable', { detail: 'Identity is starting up.' }),
      jsonResponse(200, { items: [makeUser({ first_name: 'Back' })], total: 1, page: 1, page_size: 20 }),
    );
    renderWithProviders(<UsersList />, { user: admin, server });

    expect(await screen.findByRole('alert')).toHaveTextContent('Identity is starting up.');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));

    expect(await screen.findByRole('link', { name: /^Back / })).toBeInTheDocument();
  });
});
