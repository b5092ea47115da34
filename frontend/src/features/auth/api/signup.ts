import type { SignupInput } from '@/features/auth/types/inputs';
import { apiClient } from '@/lib/api-client';
import type { Session } from '@/types/api';

export function signup(input: SignupInput): Promise<Session> {
  return apiClient.post<Session>('/identity/signup', input, { auth: false });
}
