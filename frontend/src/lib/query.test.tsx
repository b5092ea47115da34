import { useQuery } from '@tanstack/react-query';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';

import { ResourceGate } from '@/components/ui/resource-gate';
import { apiClient } from '@/lib/api-client';
import { ApiError } from '@/lib/api-error';
import { useAuth } from '@/lib/auth';
import { createQueryClient } from '@/lib/query';
import { makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';
import { renderWithProviders } from '@/testing/render';

type Thing = { id: string; name: string };

function ThingPage({ id }: { id: string }) {
  const thing = useQuery({
    queryKey: ['things', id],
    queryFn: ({ signal }) => apiClient.get<Thing>(`/things/${id}`, { signal }),
  });
  return (
    <ResourceGate resource={thing} loadingLabel="Loading the thing…" thing="thing">
      {(data) => (
        <>
          <h1>{data.name}</h1>
          <button type="button" onClick={() => void thing.refetch()}>
            Read again
          </button>
        </>
      )}
    </ResourceGate>
  );
}

describe('queries through the api client', () => {
  const user = makeUser();

  it('shows the record once loaded, and keeps it on screen while it is read again', async () => {
    const server = createFakeServer().on(
      'GET',
      '/api/things/t1',
      jsonResponse(200, { id: 't1', name: 'First' }),
      jsonResponse(200, { id: 't1', name: 'Second' }),
    );
    renderWithProviders(<ThingPage id="t1" />, { user, server });

    expect(await screen.findByRole('heading', { name: 'First' })).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Read again' }));
    expect(await screen.findByRole('heading', { name: 'Second' })).toBeInTheDocument();
    expect(screen.queryByText('Loading the thing…')).not.toBeInTheDocument();
    expect(server.requestsTo('GET', '/api/things/t1')).toHaveLength(2);
  });

  it('says "Not found" for a 404 (another company’s record)', async () => {
    const server = createFakeServer().on('GET', '/api/things/t2', problemResponse(404, 'Not Found'));
    renderWithProviders(<ThingPage id="t2" />, { user, server });

    expect(await screen.findByRole('heading', { name: 'Not found' })).toBeInTheDocument();
    expect(screen.getByText('This thing does not exist, or you do not have access to it.')).toBeInTheDocument();
  });

  it('shows the problem’s detail and loads again on Retry', async () => {
    const server = createFakeServer().on(
      'GET',
      '/api/things/t3',
      problemResponse(503, 'Service Unavailable', { detail: 'The tickets service is restarting.' }),
      jsonResponse(200, { id: 't3', name: 'Back' }),
    );
    renderWithProviders(<ThingPage id="t3" />, { user, server });

    expect(await screen.findByText('The tickets service is restarting.')).toBeInTheDocument();
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Back' })).toBeInTheDocument();
  });

  it('refreshes an expired access token once and retries the read', async () => {
    const server = createFakeServer()
      .on('GET', '/api/things/t4', problemResponse(401, 'Unauthorized'), jsonResponse(200, { id: 't4', name: 'Fresh' }))
      .on(
        'POST',
        '/api/identity/refresh',
        jsonResponse(200, { access_token: 'a1', token_type: 'bearer', expires_in: 900, user }),
        jsonResponse(200, { access_token: 'a2', token_type: 'bearer', expires_in: 900, user }),
      );
    renderWithProviders(<ThingPage id="t4" />, { user, server });

    expect(await screen.findByRole('heading', { name: 'Fresh' })).toBeInTheDocument();
    const reads = server.requestsTo('GET', '/api/things/t4');
    expect(reads).toHaveLength(2);
    expect(reads[1]?.headers.get('Authorization')).toBe('Bearer a2');
  });

  it('forgets what the previous user loaded when the user signs out', async () => {
    const server = createFakeServer()
      .on('GET', '/api/things/t5', jsonResponse(200, { id: 't5', name: 'Mine' }))
      .on('POST', '/api/identity/logout', jsonResponse(204));
    const client = createQueryClient({ retry: false });
    function SignOut() {
      const { signOut } = useAuth();
      return (
        <button type="button" onClick={() => void signOut()}>
          Sign out
        </button>
      );
    }
    renderWithProviders(
      <>
        <ThingPage id="t5" />
        <SignOut />
      </>,
      { user, server, queryClient: client },
    );
    expect(await screen.findByRole('heading', { name: 'Mine' })).toBeInTheDocument();
    expect(client.getQueryData(['things', 't5'])).toEqual({ id: 't5', name: 'Mine' });

    await userEvent.setup().click(screen.getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(client.getQueryData(['things', 't5'])).toBeUndefined());
  });
});

describe('retry policy', () => {
  const retry = createQueryClient().getDefaultOptions().queries?.retry;
  const retries = (failures: number, error: unknown): boolean =>
    typeof retry === 'function' ? Boolean(retry(failures, error as Error)) : false;

  it('shows a refused request at once', () => {
    const refused = new ApiError({ type: 'about:blank', title: 'Not Found', status: 404, errors: [] });
    expect(retries(0, refused)).toBe(false);
  });

  it('tries a failed connection or a 5xx twice more', () => {
    const down = ApiError.network();
    const unavailable = new ApiError({ type: 'about:blank', title: 'Unavailable', status: 503, errors: [] });
    expect(retries(0, down)).toBe(true);
    expect(retries(1, unavailable)).toBe(true);
    expect(retries(2, unavailable)).toBe(false);
  });
});
