import type { UserCreate } from '@/features/users/types/users';
import { apiClient } from '@/lib/api-client';
import type { User } from '@/types/api';

export function createUser(input: UserCreate): Promise<User> {
  const { password, ...rest } = input;
  return apiClient.post<User>('/identity/users', password ? { ...rest, password } : rest);
}
