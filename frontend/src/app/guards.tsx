import type { ReactNode } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';

import { Forbidden } from '@/components/errors/forbidden';
import { paths } from '@/config/paths';
import { SESSION_EXPIRED_NOTICE, useAuth, type LoginLocationState } from '@/lib/auth';
import { canAccess, type Access } from '@/lib/authorization';

/**
 * Sends visitors who are not signed in to the login page, remembering where they were going,
 * and telling them when it is because their session expired.
 */
export function RequireAuth() {
  const { state: auth, user } = useAuth();
  const location = useLocation();
  if (!user) {
    const state: LoginLocationState = {
      from: `${location.pathname}${location.search}`,
      notice: auth.status === 'anonymous' && auth.sessionExpired ? SESSION_EXPIRED_NOTICE : undefined,
    };
    return <Navigate to={paths.login} replace state={state} />;
  }
  return <Outlet />;
}

/** Answers 403 in place (the address stays) when the user's system roles do not open the route. */
export function RequireAccess({ access, children }: { access: Access; children?: ReactNode }) {
  const { user } = useAuth();
  if (!canAccess(user, access)) return <Forbidden />;
  return children ?? <Outlet />;
}

/**
 * Login and sign-up are for signed-out visitors; once signed in (including right after a
 * successful login) the visitor continues to where they were going.
 */
export function RedirectIfAuthenticated() {
  const { user } = useAuth();
  const location = useLocation();
  if (user) {
    const from = (location.state as LoginLocationState | null)?.from;
    const target = from && from.startsWith('/') && !from.startsWith('//') ? from : paths.dashboard;
    return <Navigate to={target} replace />;
  }
  return <Outlet />;
}
