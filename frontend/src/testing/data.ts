import type { Session, User } from '@/types/api';

let sequence = 0;

export function makeUser(overrides: Partial<User> = {}): User {
  sequence += 1;
  return {
    id: `0190a0b0-0000-7000-8000-${String(sequence).padStart(12, '0')}`,
    company_id: '0190a0b0-0000-7000-8000-c0ffee000001',
    email: `user${sequence}@acme.test`,
    first_name: 'Ada',
    last_name: 'Lovelace',
    is_active: true,
    system_roles: ['user'],
    company_roles: ['user'],
    ...overrides,
  };
}

export function makeSession(user: User = makeUser(), accessToken = 'access-1'): Session {
  return { access_token: accessToken, token_type: 'bearer', expires_in: 900, user };
}
