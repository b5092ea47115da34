import { describe, expect, it } from 'vitest';

import { authReducer, initialAuthState, type AuthState } from '@/lib/auth-state';
import { makeUser } from '@/testing/data';

describe('authReducer', () => {
  const user = makeUser();
  const signedIn: AuthState = { status: 'authenticated', user };

  it('starts by restoring, then becomes authenticated or anonymous', () => {
    expect(initialAuthState).toEqual({ status: 'restoring' });
    expect(authReducer(initialAuthState, { type: 'restored', user })).toEqual(signedIn);
    expect(authReducer(initialAuthState, { type: 'restored', user: null })).toEqual({
      status: 'anonymous',
      sessionExpired: false,
    });
  });

  it('signs in, and signs out on logout or expiry, remembering which', () => {
    const expired = authReducer(signedIn, { type: 'expired' });
    expect(expired).toEqual({ status: 'anonymous', sessionExpired: true });
    expect(authReducer(expired, { type: 'signedIn', user })).toEqual(signedIn);
    expect(authReducer(signedIn, { type: 'signedOut' })).toEqual({ status: 'anonymous', sessionExpired: false });
  });

  it('updates the signed-in user', () => {
    const renamed = { ...user, first_name: 'Grace' };
    expect(authReducer(signedIn, { type: 'userUpdated', user: renamed })).toEqual({
      status: 'authenticated',
      user: renamed,
    });
  });

  it('ignores user updates that arrive when nobody, or somebody else, is signed in', () => {
    const anonymous: AuthState = { status: 'anonymous', sessionExpired: false };
    expect(authReducer(anonymous, { type: 'userUpdated', user })).toBe(anonymous);
    expect(authReducer(initialAuthState, { type: 'userUpdated', user })).toBe(initialAuthState);
    expect(authReducer(signedIn, { type: 'userUpdated', user: makeUser() })).toBe(signedIn);
  });
});
