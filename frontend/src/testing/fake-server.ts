import { vi } from 'vitest';

export type RecordedRequest = {
  method: string;
  path: string;
  url: URL;
  headers: Headers;
  body: unknown;
  credentials: RequestCredentials | undefined;
};

type Reply = Response | ((request: RecordedRequest) => Response | Promise<Response>);

export function jsonResponse(status: number, body?: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

export function problemResponse(
  status: number,
  title: string,
  extra: { detail?: string; errors?: Array<{ loc: Array<string | number>; msg: string; type: string }> } = {},
): Response {
  return new Response(JSON.stringify({ type: 'about:blank', title, status, ...extra }), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

/**
 * A fetch double that answers by method and path, records every request, and answers 404
 * (as a problem) for anything it was not told about. A list of replies is used in order,
 * the last one repeating.
 */
export function createFakeServer() {
  const routes = new Map<string, Reply[]>();
  const requests: RecordedRequest[] = [];

  const fetch = vi.fn(async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const rawBody = init?.body;
    const request: RecordedRequest = {
      method,
      path: url.pathname,
      url,
      headers: new Headers(init?.headers),
      body: typeof rawBody === 'string' ? (JSON.parse(rawBody) as unknown) : undefined,
      credentials: init?.credentials,
    };
    requests.push(request);
    const replies = routes.get(`${method} ${url.pathname}`);
    const reply = replies && (replies.length > 1 ? replies.shift() : replies[0]);
    if (!reply) return problemResponse(404, 'Not Found');
    return typeof reply === 'function' ? reply(request) : reply.clone();
  });

  return {
    fetch,
    requests,
    on(method: string, path: string, ...replies: Reply[]) {
      routes.set(`${method.toUpperCase()} ${path}`, replies);
      return this;
    },
    handles(method: string, path: string): boolean {
      return routes.has(`${method.toUpperCase()} ${path}`);
    },
    requestsTo(method: string, path: string): RecordedRequest[] {
      return requests.filter((r) => r.method === method.toUpperCase() && r.path === path);
    },
  };
}

export type FakeServer = ReturnType<typeof createFakeServer>;
