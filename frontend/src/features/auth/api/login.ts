import type { LoginInput } from '@/features/auth/types/inputs';
import { apiClient } from '@/lib/api-client';
import type { Session } from '@/types/api';

export function login(input: LoginInput): Promise<Session> {
  return apiClient.post<Session>('/identity/login', input, { auth: false });
}
