import { apiClient } from '@/lib/api-client';
import type { User } from '@/types/api';

export function getUser(userId: string, signal?: AbortSignal): Promise<User> {
  return apiClient.get<User>(`/identity/users/${encodeURIComponent(userId)}`, { signal });
}
