import { ApiError, problemFromBody } from '@/lib/api-error';
import { sessionMarker, type SessionMarker } from '@/lib/session-marker';
import { accessTokenStore, type TokenStore } from '@/lib/token-store';
import type { Session } from '@/types/api';

export const API_BASE_URL = '/api';

const REFRESH_PATH = '/identity/refresh';
/** The identity service refuses cookie-authenticated session calls without this header (CSRF guard). */
export const CSRF_HEADER = { 'X-TF-CSRF': '1' } as const;

type QueryValue = string | number | boolean | null | undefined;

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  body?: unknown;
  query?: Record<string, QueryValue>;
  headers?: Record<string, string>;
  /** Sent as-is (a file upload's FormData, or YAML text with its Content-Type header). */
  rawBody?: BodyInit;
  /**
   * How to read a successful answer; JSON unless told otherwise. `response` hands back the
   * Response itself, for a 2xx or a 304 (a conditional GET reads its ETag and status).
   */
  responseType?: 'json' | 'text' | 'blob' | 'response';
  signal?: AbortSignal;
  credentials?: RequestCredentials;
  /**
   * Send the access token and, on 401, refresh the session once and retry. Off for the
   * public session endpoints, where a 401 means wrong credentials, not an expired token.
   */
  auth?: boolean;
};

export type SessionEvent = { type: 'refreshed'; session: Session } | { type: 'expired' };

export type ApiClient = {
  request: <T>(path: string, options?: RequestOptions) => Promise<T>;
  get: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => Promise<T>;
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) => Promise<T>;
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) => Promise<T>;
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, 'method' | 'body'>) => Promise<T>;
  delete: <T>(path: string, options?: Omit<RequestOptions, 'method' | 'body'>) => Promise<T>;
  /**
   * Exchanges the refresh cookie for a new session; null when there is no valid session.
   * Without the session marker (nobody signed in in this browser) it answers null at once.
   */
  refreshSession: () => Promise<Session | null>;
  subscribe: (listener: (event: SessionEvent) => void) => () => void;
};

export type ApiClientConfig = {
  baseUrl?: string;
  fetch?: typeof fetch;
  tokens?: TokenStore;
  marker?: SessionMarker;
};

type RefreshOutcome = { kind: 'refreshed'; session: Session } | { kind: 'rejected' } | { kind: 'unreachable' };

function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const search = params.toString();
  return `${baseUrl}${path}${search ? `?${search}` : ''}`;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  return new ApiError(problemFromBody(response.status, response.statusText, await readBody(response)));
}

function isSession(value: unknown): value is Session {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { access_token?: unknown }).access_token === 'string' &&
    typeof (value as { user?: unknown }).user === 'object'
  );
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function createApiClient(config: ApiClientConfig = {}): ApiClient {
  const baseUrl = config.baseUrl ?? API_BASE_URL;
  const tokens = config.tokens ?? accessTokenStore;
  const marker = config.marker ?? sessionMarker;
  // Looked up per call so tests (and polyfills) that replace the global are honoured.
  const fetchImpl: typeof fetch = config.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const listeners = new Set<(event: SessionEvent) => void>();
  let refreshInFlight: Promise<RefreshOutcome> | null = null;

  const emit = (event: SessionEvent): void => {
    for (const listener of listeners) listener(event);
  };

  async function send(path: string, options: RequestOptions, token: string | null): Promise<Response> {
    const headers = new Headers({ Accept: 'application/json, application/problem+json' });
    for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
    if (options.body !== undefined) headers.set('Content-Type', 'application/json');
    if (token) headers.set('Authorization', `Bearer ${token}`);
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    try {
      return await fetchImpl(buildUrl(baseUrl, path, options.query), {
        method: options.method ?? 'GET',
        headers,
        body,
        signal: options.signal,
        credentials: options.credentials ?? 'same-origin',
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw ApiError.network();
    }
  }

  function refresh(): Promise<RefreshOutcome> {
    // Refresh tokens rotate and reusing a spent one revokes the whole family, so every
    // caller that hits a 401 at the same time must share a single refresh call.
    refreshInFlight ??= (async (): Promise<RefreshOutcome> => {
      let response: Response;
      try {
        response = await fetchImpl(buildUrl(baseUrl, REFRESH_PATH), {
          method: 'POST',
          credentials: 'include',
          headers: { Accept: 'application/json', ...CSRF_HEADER },
        });
      } catch {
        return { kind: 'unreachable' };
      }
      if (!response.ok) {
        tokens.clear();
        marker.clear();
        return { kind: 'rejected' };
      }
      const session = await readBody(response);
      if (!isSession(session)) {
        tokens.clear();
        marker.clear();
        return { kind: 'rejected' };
      }
      tokens.set(session.access_token);
      marker.set();
      emit({ type: 'refreshed', session });
      return { kind: 'refreshed', session };
    })().finally(() => {
      refreshInFlight = null;
    });
    return refreshInFlight;
  }

  function expire(): void {
    tokens.clear();
    marker.clear();
    emit({ type: 'expired' });
  }

  async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const useAuth = options.auth ?? true;
    const sentToken = useAuth ? tokens.get() : null;
    let response = await send(path, options, sentToken);

    if (response.status === 401 && useAuth) {
      const current = tokens.get();
      let retryToken: string;
      if (current !== null && current !== sentToken) {
        // Another request refreshed the session while this one was in flight.
        retryToken = current;
      } else {
        const outcome = await refresh();
        if (outcome.kind === 'unreachable') throw ApiError.network();
        if (outcome.kind === 'rejected') {
          expire();
          throw await toApiError(response);
        }
        retryToken = outcome.session.access_token;
      }
      response = await send(path, options, retryToken);
      if (response.status === 401) {
        expire();
        throw await toApiError(response);
      }
    }

    if (options.responseType === 'response' && (response.ok || response.status === 304)) return response as T;
    if (!response.ok) throw await toApiError(response);
    if (options.responseType === 'blob') return (await response.blob()) as T;
    if (options.responseType === 'text') return (await response.text()) as T;
    return (await readBody(response)) as T;
  }

  return {
    request,
    get: (path, options) => request(path, { ...options, method: 'GET' }),
    post: (path, body, options) => request(path, { ...options, method: 'POST', body }),
    put: (path, body, options) => request(path, { ...options, method: 'PUT', body }),
    patch: (path, body, options) => request(path, { ...options, method: 'PATCH', body }),
    delete: (path, options) => request(path, { ...options, method: 'DELETE' }),
    refreshSession: async () => {
      if (!marker.present()) return null;
      const outcome = await refresh();
      return outcome.kind === 'refreshed' ? outcome.session : null;
    },
    subscribe: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

export const apiClient = createApiClient();
