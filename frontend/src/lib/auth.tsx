import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, type ReactNode } from 'react';

import { apiClient, CSRF_HEADER } from '@/lib/api-client';
import { authReducer, initialAuthState, type AuthState } from '@/lib/auth-state';
import { sessionMarker } from '@/lib/session-marker';
import { accessTokenStore } from '@/lib/token-store';
import type { Session, User } from '@/types/api';

export const SESSION_EXPIRED_NOTICE = 'Your session has expired. Please sign in again.';

/** What pages pass to the login route through `navigate(..., { state })`. */
export type LoginLocationState = {
  notice?: string;
  /** Path (with search) to return to after signing in. */
  from?: string;
};

type AuthContextValue = {
  state: AuthState;
  user: User | null;
  signIn: (session: Session) => void;
  signOut: () => Promise<void>;
  updateUser: (user: User) => void;
};

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [state, dispatch] = useReducer(authReducer, initialAuthState);

  // Restore the session from the refresh cookie on start. Concurrent calls (StrictMode runs
  // this effect twice) share one refresh request inside the client.
  useEffect(() => {
    let active = true;
    void apiClient.refreshSession().then((session) => {
      if (active) dispatch({ type: 'restored', user: session?.user ?? null });
    });
    return () => {
      active = false;
    };
  }, []);

  // An expired session signs the user out here; the route guard then sends them to the
  // login page with the reason, so there is one place that redirects.
  useEffect(
    () =>
      apiClient.subscribe((event) => {
        dispatch(event.type === 'refreshed' ? { type: 'userUpdated', user: event.session.user } : { type: 'expired' });
      }),
    [],
  );

  const signIn = useCallback((session: Session) => {
    accessTokenStore.set(session.access_token);
    sessionMarker.set();
    dispatch({ type: 'signedIn', user: session.user });
  }, []);

  const signOut = useCallback(async () => {
    try {
      await apiClient.post('/identity/logout', undefined, {
        auth: false,
        credentials: 'include',
        headers: { ...CSRF_HEADER },
      });
    } catch {
      // Signing out locally still matters when the server cannot be reached.
    } finally {
      accessTokenStore.clear();
      sessionMarker.clear();
      dispatch({ type: 'signedOut' });
    }
  }, []);

  const updateUser = useCallback((user: User) => dispatch({ type: 'userUpdated', user }), []);

  const value = useMemo<AuthContextValue>(
    () => ({
      state,
      user: state.status === 'authenticated' ? state.user : null,
      signIn,
      signOut,
      updateUser,
    }),
    [state, signIn, signOut, updateUser],
  );

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth must be used inside <AuthProvider>');
  return value;
}

/** The signed-in user; only for components rendered behind the authentication guard. */
export function useCurrentUser(): User {
  const { user } = useAuth();
  if (!user) throw new Error('useCurrentUser must be used behind the authentication guard');
  return user;
}
