import type { UsersQuery } from '@/features/users/types/users';
import { apiClient } from '@/lib/api-client';
import type { Page, User } from '@/types/api';

export function listUsers(query: UsersQuery, signal?: AbortSignal): Promise<Page<User>> {
  return apiClient.get<Page<User>>('/identity/users', { query, signal });
}
