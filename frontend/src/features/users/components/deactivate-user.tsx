import { useState } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { useDeactivateUser } from '@/features/users/hooks/use-users';
import { queryErrorMessage } from '@/lib/query';
import type { User } from '@/types/api';

type DeactivateUserProps = {
  user: User;
  isCurrentUser: boolean;
  onDeactivated: (user: User) => void;
};

export function DeactivateUser({ user, isCurrentUser, onDeactivated }: DeactivateUserProps) {
  const [confirming, setConfirming] = useState(false);
  const deactivate = useDeactivateUser(user.id);

  if (!user.is_active) {
    return <p className="text-sm text-slate-600">This account is deactivated: the user can no longer sign in.</p>;
  }
  if (isCurrentUser) {
    return <p className="text-sm text-slate-600">You cannot deactivate your own account.</p>;
  }

  const confirm = () =>
    deactivate.mutate(undefined, {
      onSuccess: (updated) => {
        setConfirming(false);
        onDeactivated(updated);
      },
    });
  const cancel = () => {
    deactivate.reset();
    setConfirming(false);
  };
  const error = queryErrorMessage(deactivate.error);

  if (!confirming) {
    return (
      <div className="flex flex-col items-start gap-3">
        <p className="text-sm text-slate-600">
          A deactivated user can no longer sign in. Their tickets and history stay.
        </p>
        <Button variant="dangerOutline" onClick={() => setConfirming(true)}>
          Deactivate user
        </Button>
      </div>
    );
  }

  return (
    <div className="flex flex-col items-start gap-3">
      {error && <Alert tone="error">{error}</Alert>}
      <p className="text-sm font-medium text-slate-900">
        Deactivate {user.first_name} {user.last_name}? They will be signed out and unable to sign in.
      </p>
      <div className="flex flex-wrap gap-2">
        <Button variant="danger" loading={deactivate.isPending} onClick={confirm}>
          Yes, deactivate
        </Button>
        <Button variant="secondary" disabled={deactivate.isPending} onClick={cancel} autoFocus>
          Cancel
        </Button>
      </div>
    </div>
  );
}
