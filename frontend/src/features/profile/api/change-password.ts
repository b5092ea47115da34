import type { PasswordChange } from '@/features/profile/types/inputs';
import { apiClient } from '@/lib/api-client';

export function changePassword(input: PasswordChange): Promise<void> {
  return apiClient.post<void>('/identity/me/password', input);
}
