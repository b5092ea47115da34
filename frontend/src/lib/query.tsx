import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';

import { ApiError, errorMessage } from '@/lib/api-error';
import { useAuth } from '@/lib/auth';

/**
 * A refused request (4xx) gives the same answer when asked again, so it is shown at once; a
 * network failure or a 5xx (a service restarting) is tried again twice before it is shown.
 * The api client has already refreshed the session on a 401.
 */
function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}

export function createQueryClient({ retry = true }: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: retry ? shouldRetry : false,
        // Pages read again when they are opened or an action changed them, not on every
        // window focus (a half-filled form would see its record change under it).
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}

/** The problem-details message of a failed query or mutation, for an error state or banner. */
export function queryErrorMessage(error: unknown): string | null {
  return error ? errorMessage(error) : null;
}

/** The HTTP status of a failed query (a 404 page says "Not found"). */
export function queryErrorStatus(error: unknown): number | null {
  return error instanceof ApiError ? error.status : null;
}

/**
 * The query cache of the signed-in user: it is emptied whenever the user changes (sign out,
 * an expired session, another account), so nobody sees what the previous user loaded.
 */
export function QueryProvider({ client, children }: { client?: QueryClient; children: ReactNode }) {
  const [queryClient] = useState(() => client ?? createQueryClient());
  const userId = useAuth().user?.id ?? null;
  useEffect(() => () => queryClient.clear(), [queryClient, userId]);
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
