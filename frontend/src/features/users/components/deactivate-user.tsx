import { useReducer } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { deactivateUser } from '@/features/users/api/update-user';
import { errorMessage } from '@/lib/api-error';
import type { User } from '@/types/api';

type DeactivateState = { step: 'idle' | 'confirming' | 'working'; error: string | null };

type DeactivateAction =
  | { type: 'asked' }
  | { type: 'cancelled' }
  | { type: 'started' }
  | { type: 'failed'; error: string }
  | { type: 'done' };

export function deactivateReducer(_state: DeactivateState, action: DeactivateAction): DeactivateState {
  switch (action.type) {
    case 'asked':
      return { step: 'confirming', error: null };
    case 'cancelled':
    case 'done':
      return { step: 'idle', error: null };
    case 'started':
      return { step: 'working', error: null };
    case 'failed':
      return { step: 'confirming', error: action.error };
  }
}

type DeactivateUserProps = {
  user: User;
  isCurrentUser: boolean;
  onDeactivated: (user: User) => void;
};

export function DeactivateUser({ user, isCurrentUser, onDeactivated }: DeactivateUserProps) {
  const [state, dispatch] = useReducer(deactivateReducer, { step: 'idle', error: null });

  if (!user.is_active) {
    return <p className="text-sm text-slate-600">This account is deactivated: the user can no longer sign in.</p>;
  }
  if (isCurrentUser) {
    return <p className="text-sm text-slate-600">You cannot deactivate your own account.</p>;
  }

  const confirm = async () => {
    dispatch({ type: 'started' });
    try {
      const updated = await deactivateUser(user.id);
      dispatch({ type: 'done' });
      onDeactivated(updated);
    } catch (error) {
      dispatch({ type: 'failed', error: errorMessage(error) });
    }
  };

  if (state.step === 'idle') {
    return (
      <div className="flex flex-col items-start gap-3">
        <p className="text-sm text-slate-600">
          A deactivated user can no longer sign in. Their tickets and history stay.
        </p>
        <Button variant="dangerOutline" onClick={() => dispatch({ type: 'asked' })}>
          Deactivate user
        </Button>
      </div>
    );
  }

  return (
    <div className="flex flex-col items-start gap-3">
      {state.error && <Alert tone="error">{state.error}</Alert>}
      <p className="text-sm font-medium text-slate-900">
        Deactivate {user.first_name} {user.last_name}? They will be signed out and unable to sign in.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button variant="danger" loading={state.step === 'working'} onClick={() => void confirm()}>
          Yes, deactivate
        </Button>
        <Button
          variant="secondary"
          disabled={state.step === 'working'}
          onClick={() => dispatch({ type: 'cancelled' })}
          autoFocus
        >
          Cancel
        </Button>
      </div>
    </div>
  );
}
