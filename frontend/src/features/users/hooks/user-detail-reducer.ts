import type { User } from '@/types/api';

export type UserDetailState = {
  status: 'loading' | 'ready' | 'error';
  user: User | null;
  error: string | null;
  reloads: number;
};

export type UserDetailAction =
  | { type: 'loaded'; user: User }
  | { type: 'failed'; error: string }
  | { type: 'retried' }
  | { type: 'updated'; user: User };

export const initialUserDetailState: UserDetailState = { status: 'loading', user: null, error: null, reloads: 0 };

export function userDetailReducer(state: UserDetailState, action: UserDetailAction): UserDetailState {
  switch (action.type) {
    case 'loaded':
    case 'updated':
      return { ...state, status: 'ready', user: action.user, error: null };
    case 'failed':
      return { ...state, status: 'error', error: action.error };
    case 'retried':
      return { ...state, status: 'loading', error: null, reloads: state.reloads + 1 };
  }
}
