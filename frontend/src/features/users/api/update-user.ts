import type { UserRolesUpdate, UserUpdate } from '@/features/users/types/users';
import { apiClient } from '@/lib/api-client';
import type { User } from '@/types/api';

export function updateUser(userId: string, changes: Partial<UserUpdate>): Promise<User> {
  return apiClient.patch<User>(`/identity/users/${encodeURIComponent(userId)}`, changes);
}

export function setUserRoles(userId: string, roles: UserRolesUpdate): Promise<User> {
  return apiClient.put<User>(`/identity/users/${encodeURIComponent(userId)}/roles`, roles);
}

export function deactivateUser(userId: string): Promise<User> {
  return apiClient.post<User>(`/identity/users/${encodeURIComponent(userId)}/deactivate`);
}
