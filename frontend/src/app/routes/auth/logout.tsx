import { useEffect, useRef } from 'react';
import { useNavigate } from 'react-router';

import { LoadingState } from '@/components/ui/states';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useAuth, type LoginLocationState } from '@/lib/auth';

export function LogoutRoute() {
  useDocumentTitle('Signing out');
  const { signOut } = useAuth();
  const navigate = useNavigate();
  const started = useRef(false);

  useEffect(() => {
    // StrictMode runs effects twice; the session must be ended once.
    if (started.current) return;
    started.current = true;
    void signOut().then(() => {
      const state: LoginLocationState = { notice: 'You have been signed out.' };
      navigate(paths.login, { replace: true, state });
    });
  }, [signOut, navigate]);

  return (
    <main id="main" className="flex min-h-screen items-center justify-center">
      <LoadingState label="Signing you out…" />
    </main>
  );
}
