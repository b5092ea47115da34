import type { ReactNode } from 'react';
import { BrowserRouter } from 'react-router';

import { ErrorBoundary } from '@/app/error-boundary';
import { AuthProvider } from '@/lib/auth';

export function AppProvider({ children }: { children: ReactNode }) {
  return (
    <ErrorBoundary>
      <BrowserRouter>
        <AuthProvider>{children}</AuthProvider>
      </BrowserRouter>
    </ErrorBoundary>
  );
}
