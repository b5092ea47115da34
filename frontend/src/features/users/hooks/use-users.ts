import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';

import { createUser } from '@/features/users/api/create-user';
import { getUser } from '@/features/users/api/get-user';
import { listUsers } from '@/features/users/api/list-users';
import { deactivateUser, setUserRoles, updateUser } from '@/features/users/api/update-user';
import type { UserCreate, UserRolesUpdate, UserUpdate, UsersQuery } from '@/features/users/types/users';
import type { User } from '@/types/api';

/** Every users query starts so: a change to any user reads the lists again. */
export const USERS_KEY = ['identity', 'users'] as const;
const USER_LISTS_KEY = [...USERS_KEY, 'list'] as const;
export const userKey = (userId: string) => [...USERS_KEY, 'detail', userId] as const;

/** A page of the company's users; the previous page stays shown while the next one loads. */
export function useUsersPage(query: UsersQuery) {
  return useQuery({
    queryKey: [...USER_LISTS_KEY, query],
    queryFn: ({ signal }) => listUsers(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUser(userId: string) {
  return useQuery({ queryKey: userKey(userId), queryFn: ({ signal }) => getUser(userId, signal) });
}

/** What a write answered is the user now; the lists it may appear in are read again. */
function saved(client: QueryClient, user: User): Promise<void> {
  client.setQueryData(userKey(user.id), user);
  return client.invalidateQueries({ queryKey: USER_LISTS_KEY });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: UserCreate) => createUser(input),
    onSuccess: (user) => saved(client, user),
  });
}

export function useUpdateUser(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<UserUpdate>) => updateUser(userId, changes),
    onSuccess: (user) => saved(client, user),
  });
}

export function useSetUserRoles(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (roles: UserRolesUpdate) => setUserRoles(userId, roles),
    onSuccess: (user) => saved(client, user),
  });
}

export function useDeactivateUser(userId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => deactivateUser(userId),
    onSuccess: (user) => saved(client, user),
  });
}
