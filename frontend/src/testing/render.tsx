import type { QueryClient } from '@tanstack/react-query';
import { render } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { vi } from 'vitest';

import { AuthProvider, useAuth } from '@/lib/auth';
import { createQueryClient, QueryProvider } from '@/lib/query';
import { sessionMarker } from '@/lib/session-marker';
import { createFakeServer, jsonResponse, problemResponse, type FakeServer } from '@/testing/fake-server';
import { makeSession } from '@/testing/data';
import type { User } from '@/types/api';

type RenderOptions = {
  /** Signed in as this user (the start-up refresh restores their session); anonymous when null. */
  user?: User | null;
  route?: string;
  server?: FakeServer;
  /** The query cache, for tests that look into it; a fresh one otherwise. */
  queryClient?: QueryClient;
};

/** Shows where the router is, so tests can assert redirects. */
export function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location">{`${location.pathname}${location.search}`}</output>;
}

/** Holds the UI back until the start-up session restore has finished, as the app does. */
function RestoredSession({ children }: { children: ReactNode }) {
  return useAuth().state.status === 'restoring' ? null : children;
}

/**
 * Renders inside a memory router and the real AuthProvider, with the global fetch replaced by
 * a fake server whose refresh endpoint restores `user` (or refuses, for anonymous visitors).
 */
export function renderWithProviders(
  ui: ReactElement,
  { user = null, route = '/', server, queryClient }: RenderOptions = {},
) {
  const fake = server ?? createFakeServer();
  if (!fake.handles('POST', '/api/identity/refresh')) {
    fake.on(
      'POST',
      '/api/identity/refresh',
      user ? jsonResponse(200, makeSession(user)) : problemResponse(401, 'Unauthorized'),
    );
  }
  // A signed-in user's browser carries the session marker, so the start-up refresh is tried.
  if (user) sessionMarker.set();
  vi.stubGlobal('fetch', fake.fetch);
  const result = render(
    <MemoryRouter initialEntries={[route]}>
      <AuthProvider>
        {/* A cache of its own per test, and failures shown at once (no retry). */}
        <QueryProvider client={queryClient ?? createQueryClient({ retry: false })}>
          <Routes>
            <Route path="*" element={<RestoredSession>{ui}</RestoredSession>} />
          </Routes>
          <LocationProbe />
        </QueryProvider>
      </AuthProvider>
    </MemoryRouter>,
  );
  return { ...result, server: fake };
}
