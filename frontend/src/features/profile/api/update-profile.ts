import type { ProfileUpdate } from '@/features/profile/types/inputs';
import { apiClient } from '@/lib/api-client';
import type { User } from '@/types/api';

export function updateProfile(changes: Partial<ProfileUpdate>): Promise<User> {
  return apiClient.patch<User>('/identity/me', changes);
}
