import type { User } from '@/types/api';

export type AuthState =
  | { status: 'restoring' }
  /** `sessionExpired`: signed out because the session could not be refreshed, not by choice. */
  | { status: 'anonymous'; sessionExpired: boolean }
  | { status: 'authenticated'; user: User };

export type AuthAction =
  | { type: 'restored'; user: User | null }
  | { type: 'signedIn'; user: User }
  | { type: 'userUpdated'; user: User }
  | { type: 'signedOut' }
  | { type: 'expired' };

export const initialAuthState: AuthState = { status: 'restoring' };

export function authReducer(state: AuthState, action: AuthAction): AuthState {
  switch (action.type) {
    case 'restored':
      return action.user
        ? { status: 'authenticated', user: action.user }
        : { status: 'anonymous', sessionExpired: false };
    case 'signedIn':
      return { status: 'authenticated', user: action.user };
    case 'userUpdated':
      // A late answer about a previous session must not sign anyone back in.
      if (state.status !== 'authenticated' || state.user.id !== action.user.id) return state;
      return { status: 'authenticated', user: action.user };
    case 'signedOut':
      return { status: 'anonymous', sessionExpired: false };
    case 'expired':
      return { status: 'anonymous', sessionExpired: true };
  }
}
