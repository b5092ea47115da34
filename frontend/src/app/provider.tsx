import type { ReactNode } from 'react';
import { BrowserRouter } from 'react-router';

import { ErrorBoundary } from '@/app/error-boundary';
import { AuthProvider } from '@/lib/auth';
import { QueryProvider } from '@/lib/query';

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary>
      <BrowserRouter>
        <AuthProvider>
          <QueryProvider>{children}</QueryProvider>
        </AuthProvider>
      </BrowserRouter>
    </ErrorBoundary>
  );
}
