import { describe, expect, it, vi } from 'vitest';

import { createApiClient, type SessionEvent } from '@/lib/api-client';
import { ApiError, NETWORK_ERROR_STATUS } from '@/lib/api-error';
import { createSessionMarker } from '@/lib/session-marker';
import { createTokenStore } from '@/lib/token-store';
import { makeSession, makeUser } from '@/testing/data';
import { createFakeServer, jsonResponse, problemResponse } from '@/testing/fake-server';

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    get length() {
      return items.size;
    },
    clear: () => items.clear(),
    getItem: (key) => items.get(key) ?? null,
    key: (index) => [...items.keys()][index] ?? null,
    removeItem: (key) => void items.delete(key),
    setItem: (key, value) => void items.set(key, value),
  };
}

/** A client whose browser signed in before (the session marker is set) unless told otherwise. */
function setup({ signedInBefore = true }: { signedInBefore?: boolean } = {}) {
  const server = createFakeServer();
  const tokens = createTokenStore();
  const storage = memoryStorage();
  const marker = createSessionMarker(() => storage);
  if (signedInBefore) marker.set();
  const events: SessionEvent[] = [];
  const client = createApiClient({ fetch: server.fetch, tokens, marker });
  client.subscribe((event) => events.push(event));
  return { server, tokens, client, events, marker };
}

const bearer = (token: string) => `Bearer ${token}`;

describe('api client', () => {
  it('sends the in-memory access token and parses the JSON answer', async () => {
    const { server, tokens, client } = setup();
    const user = makeUser();
    server.on('GET', '/api/identity/me', jsonResponse(200, user));
    tokens.set('token-a');

    await expect(client.get('/identity/me')).resolves.toEqual(user);
    expect(server.requests[0]?.headers.get('Authorization')).toBe(bearer('token-a'));
  });

  it('on 401 refreshes the session once with the cookie and CSRF header, then retries with the new token', async () => {
    const { server, tokens, client, events } = setup();
    const session = makeSession(makeUser(), 'token-b');
    server
      .on('GET', '/api/identity/me', (req) =>
        req.headers.get('Authorization') === bearer('token-b')
          ? jsonResponse(200, session.user)
          : problemResponse(401, 'Unauthorized'),
      )
      .on('POST', '/api/identity/refresh', jsonResponse(200, session));
    tokens.set('token-a');

    await expect(client.get('/identity/me')).resolves.toEqual(session.user);

    const refreshes = server.requestsTo('POST', '/api/identity/refresh');
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.credentials).toBe('include');
    expect(refreshes[0]?.headers.get('X-TF-CSRF')).toBe('1');
    expect(refreshes[0]?.headers.get('Authorization')).toBeNull();
    expect(server.requestsTo('GET', '/api/identity/me').map((r) => r.headers.get('Authorization'))).toEqual([
      bearer('token-a'),
      bearer('token-b'),
    ]);
    expect(tokens.get()).toBe('token-b');
    expect(events).toEqual([{ type: 'refreshed', session }]);
  });

  it('shares one refresh among requests that hit 401 at the same time', async () => {
    const { server, tokens, client } = setup();
    let releaseRefresh: () => void = () => {};
    const refreshGate = new Promise<void>((resolve) => {
      releaseRefresh = resolve;
    });
    server
      .on('GET', '/api/identity/users', (req) =>
        req.headers.get('Authorization') === bearer('fresh')
          ? jsonResponse(200, { items: [], total: 0, page: 1, page_size: 20 })
          : problemResponse(401, 'Unauthorized'),
      )
      .on('POST', '/api/identity/refresh', async () => {
        await refreshGate;
        return jsonResponse(200, makeSession(makeUser(), 'fresh'));
      });
    tokens.set('stale');

    const all = Promise.all([
      client.get('/identity/users'),
      client.get('/identity/users'),
      client.get('/identity/users'),
    ]);
    await vi.waitFor(() => expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(1));
    releaseRefresh();
    await all;

    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(1);
    expect(server.requestsTo('GET', '/api/identity/users')).toHaveLength(6);
  });

  it('when the refresh is refused, clears the token, reports the session expired and does not retry', async () => {
    const { server, tokens, client, events } = setup();
    server
      .on('GET', '/api/identity/me', problemResponse(401, 'Unauthorized', { detail: 'Token expired' }))
      .on('POST', '/api/identity/refresh', problemResponse(401, 'Unauthorized'));
    tokens.set('token-a');

    const error = await client.get('/identity/me').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect(tokens.get()).toBeNull();
    expect(events).toEqual([{ type: 'expired' }]);
    expect(server.requestsTo('GET', '/api/identity/me')).toHaveLength(1);
  });

  it('retries only once: a second 401 after a successful refresh expires the session', async () => {
    const { server, tokens, client, events } = setup();
    const session = makeSession(makeUser(), 'token-b');
    server
      .on('GET', '/api/identity/me', problemResponse(401, 'Unauthorized'))
      .on('POST', '/api/identity/refresh', jsonResponse(200, session));
    tokens.set('token-a');

    await expect(client.get('/identity/me')).rejects.toMatchObject({ status: 401 });

    expect(server.requestsTo('GET', '/api/identity/me')).toHaveLength(2);
    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(1);
    expect(events.map((e) => e.type)).toEqual(['refreshed', 'expired']);
    expect(tokens.get()).toBeNull();
  });

  it('does not refresh for public calls, where 401 means wrong credentials', async () => {
    const { server, client, events } = setup();
    server.on(
      'POST',
      '/api/identity/login',
      problemResponse(401, 'Unauthorized', { detail: 'Incorrect email or password.' }),
    );

    await expect(client.post('/identity/login', { email: 'a@b.test', password: 'x' }, { auth: false })).rejects.toThrow(
      'Incorrect email or password.',
    );

    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(0);
    expect(events).toEqual([]);
  });

  it('retries with the token another request already refreshed instead of refreshing again', async () => {
    const { server, tokens, client } = setup();
    server.on('GET', '/api/identity/me', (req) => {
      if (req.headers.get('Authorization') === bearer('old')) {
        tokens.set('new'); // a concurrent request refreshed while this one was in flight
        return problemResponse(401, 'Unauthorized');
      }
      return jsonResponse(200, makeUser());
    });
    tokens.set('old');

    await client.get('/identity/me');

    expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(0);
    expect(server.requests.at(-1)?.headers.get('Authorization')).toBe(bearer('new'));
  });

  it('parses problem details, including field errors, into an ApiError', async () => {
    const { server, client } = setup();
    server.on(
      'POST',
      '/api/identity/signup',
      problemResponse(422, 'Unprocessable Content', {
        detail: 'The request is invalid.',
        errors: [{ loc: ['body', 'email'], msg: 'Enter a valid email address.', type: 'value_error' }],
      }),
    );

    const error = (await client.post('/identity/signup', {}, { auth: false }).catch((e: unknown) => e)) as ApiError;

    expect(error).toBeInstanceOf(ApiError);
    expect(error.problem).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'The request is invalid.',
      instance: undefined,
      errors: [{ loc: ['body', 'email'], msg: 'Enter a valid email address.', type: 'value_error' }],
    });
    expect(error.message).toBe('The request is invalid.');
  });

  it('turns an error answer that is not a problem into an ApiError titled by its status', async () => {
    const { server, client } = setup();
    server.on(
      'GET',
      '/api/identity/me',
      new Response('<html>Bad gateway</html>', { status: 502, statusText: 'Bad Gateway' }),
    );

    await expect(client.get('/identity/me')).rejects.toMatchObject({
      status: 502,
      problem: { title: 'Bad Gateway', errors: [] },
    });
  });

  it('reports an unreachable server as a network ApiError without expiring the session', async () => {
    const tokens = createTokenStore();
    const client = createApiClient({
      tokens,
      fetch: () => Promise.reject(new TypeError('Failed to fetch')),
    });
    tokens.set('token-a');

    await expect(client.get('/identity/me')).rejects.toMatchObject({ status: NETWORK_ERROR_STATUS });
    expect(tokens.get()).toBe('token-a');
  });

  it('sends JSON bodies and query parameters, skipping empty ones, and answers 204 with undefined', async () => {
    const { server, tokens, client } = setup();
    server
      .on('GET', '/api/identity/users', jsonResponse(200, { items: [], total: 0, page: 2, page_size: 20 }))
      .on('POST', '/api/identity/me/password', new Response(null, { status: 204 }));
    tokens.set('t');

    await client.get('/identity/users', { query: { q: '', page: 2, page_size: 20 } });
    await expect(
      client.post('/identity/me/password', { current_password: 'a', new_password: 'b' }),
    ).resolves.toBeUndefined();

    expect(server.requests[0]?.url.search).toBe('?page=2&page_size=20');
    expect(server.requests[1]?.headers.get('Content-Type')).toBe('application/json');
    expect(server.requests[1]?.body).toEqual({ current_password: 'a', new_password: 'b' });
  });

  describe('refreshSession (used to restore the session on start)', () => {
    it('returns the session and keeps its access token', async () => {
      const { server, tokens, client } = setup();
      const session = makeSession(makeUser(), 'restored');
      server.on('POST', '/api/identity/refresh', jsonResponse(200, session));

      await expect(client.refreshSession()).resolves.toEqual(session);
      expect(tokens.get()).toBe('restored');
    });

    it('returns null without reporting an expiry when there is no session to restore', async () => {
      const { server, client, events, marker } = setup();
      server.on('POST', '/api/identity/refresh', problemResponse(401, 'Unauthorized'));

      await expect(client.refreshSession()).resolves.toBeNull();
      expect(events).toEqual([]);
      // The cookie is gone: the next page load does not ask again.
      expect(marker.present()).toBe(false);
    });

    it('does not call the server at all in a browser where nobody signed in', async () => {
      const { server, client, events } = setup({ signedInBefore: false });
      server.on('POST', '/api/identity/refresh', problemResponse(401, 'Unauthorized'));

      await expect(client.refreshSession()).resolves.toBeNull();
      expect(server.requestsTo('POST', '/api/identity/refresh')).toHaveLength(0);
      expect(events).toEqual([]);
    });

    it('sets the marker on a restored session and clears it when the session expires', async () => {
      const { server, tokens, client, marker } = setup();
      server
        .on('POST', '/api/identity/refresh', jsonResponse(200, makeSession(makeUser(), 'restored')))
        .on('GET', '/api/identity/me', problemResponse(401, 'Unauthorized'));

      await client.refreshSession();
      expect(marker.present()).toBe(true);
      expect(tokens.get()).toBe('restored');

      // Refused even after a successful refresh: the session is over in this browser.
      await expect(client.get('/identity/me')).rejects.toMatchObject({ status: 401 });
      expect(marker.present()).toBe(false);
    });
  });
});
