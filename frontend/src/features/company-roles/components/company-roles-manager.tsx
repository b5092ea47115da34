import type { Dispatch } from 'react';
import { useReducer } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { DEFAULT_COMPANY_ROLE } from '@/config/roles';
import { CreateRoleForm } from '@/features/company-roles/components/create-role-form';
import { RenameRoleForm } from '@/features/company-roles/components/rename-role-form';
import {
  companyRolesReducer,
  initialCompanyRolesState,
  type CompanyRolesAction,
  type CompanyRolesState,
} from '@/features/company-roles/hooks/company-roles-reducer';
import { useCompanyRoles, useDeleteCompanyRole } from '@/features/company-roles/hooks/use-company-roles';
import type { CompanyRole } from '@/features/company-roles/types/company-role';
import { queryErrorMessage } from '@/lib/query';

type RowProps = {
  role: CompanyRole;
  state: CompanyRolesState;
  dispatch: Dispatch<CompanyRolesAction>;
};

function RoleRow({ role, state, dispatch }: RowProps) {
  const isDefault = role.name === DEFAULT_COMPANY_ROLE;
  const remove = useDeleteCompanyRole(role.id);
  // Why the last delete was refused, shown on the role's row until it is tried again or left.
  const rowError = queryErrorMessage(remove.error);
  const endDelete = () => {
    remove.reset();
    dispatch({ type: 'deleteEnded' });
  };

  let content;
  if (state.editingId === role.id) {
    content = (
      <RenameRoleForm
        role={role}
        onRenamed={() => dispatch({ type: 'editEnded' })}
        onCancel={() => dispatch({ type: 'editEnded' })}
      />
    );
  } else if (state.confirmingDeleteId === role.id) {
    const deleting = remove.isPending;
    content = (
      <div className="flex w-full flex-col gap-3">
        {rowError && <Alert tone="error">{rowError}</Alert>}
        <p className="text-sm font-medium text-slate-900">
          Delete the role “{role.name}”? Users lose it, and with it the ticket types it lets them submit.
        </p>
        <div className="flex gap-2">
          <Button
            variant="danger"
            size="small"
            loading={deleting}
            onClick={() => remove.mutate(undefined, { onSuccess: () => dispatch({ type: 'deleteEnded' }) })}
          >
            Yes, delete
          </Button>
          <Button variant="secondary" size="small" disabled={deleting} autoFocus onClick={endDelete}>
            Cancel
          </Button>
        </div>
      </div>
    );
  } else {
    content = (
      <div className="flex w-full flex-wrap items-center justify-between gap-3">
        <div className="flex items-center gap-2">
          <span className="font-medium text-slate-900">{role.name}</span>
          {isDefault && (
            <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-medium text-slate-700">default</span>
          )}
        </div>
        {isDefault ? (
          <p className="text-sm text-slate-600">Every user holds this role; it cannot be renamed or deleted.</p>
        ) : (
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="small"
              aria-label={`Rename ${role.name}`}
              onClick={() => dispatch({ type: 'editStarted', roleId: role.id })}
            >
              Rename
            </Button>
            <Button
              variant="ghost"
              size="small"
              aria-label={`Delete ${role.name}`}
              onClick={() => {
                remove.reset();
                dispatch({ type: 'deleteAsked', roleId: role.id });
              }}
            >
              Delete
            </Button>
          </div>
        )}
      </div>
    );
  }

  return <li className="flex px-4 py-3">{content}</li>;
}

export function CompanyRolesManager() {
  const roles = useCompanyRoles();
  const [state, dispatch] = useReducer(companyRolesReducer, initialCompanyRolesState);

  let list;
  if (roles.isError) {
    list = <ErrorState message={queryErrorMessage(roles.error) ?? ''} onRetry={() => void roles.refetch()} />;
  } else if (!roles.data) {
    list = <LoadingState label="Loading company roles…" />;
  } else if (roles.data.length === 0) {
    list = <EmptyState title="No company roles yet">Create a role above to group users.</EmptyState>;
  } else {
    list = (
      <ul aria-label="Company roles" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {roles.data.map((role) => (
          <RoleRow key={role.id} role={role} state={state} dispatch={dispatch} />
        ))}
      </ul>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <Card title="New role" description="Company roles decide which ticket types their holders may submit.">
        <CreateRoleForm />
      </Card>
      <Card title="Roles">{list}</Card>
    </div>
  );
}
