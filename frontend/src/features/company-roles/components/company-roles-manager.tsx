import type { Dispatch } from 'react';

import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card } from '@/components/ui/card';
import { EmptyState, ErrorState, LoadingState } from '@/components/ui/states';
import { DEFAULT_COMPANY_ROLE } from '@/config/roles';
import { deleteCompanyRole } from '@/features/company-roles/api/company-roles';
import { CreateRoleForm } from '@/features/company-roles/components/create-role-form';
import { RenameRoleForm } from '@/features/company-roles/components/rename-role-form';
import type { CompanyRolesAction, CompanyRolesState } from '@/features/company-roles/hooks/company-roles-reducer';
import { useCompanyRoles } from '@/features/company-roles/hooks/use-company-roles';
import type { CompanyRole } from '@/features/company-roles/types/company-role';
import { errorMessage } from '@/lib/api-error';

type RowProps = {
  role: CompanyRole;
  state: CompanyRolesState;
  dispatch: Dispatch<CompanyRolesAction>;
};

function RoleRow({ role, state, dispatch }: RowProps) {
  const isDefault = role.name === DEFAULT_COMPANY_ROLE;
  const rowError = state.rowError?.roleId === role.id ? state.rowError.message : null;

  const remove = async () => {
    dispatch({ type: 'deleteStarted', roleId: role.id });
    try {
      await deleteCompanyRole(role.id);
      dispatch({ type: 'deleted', roleId: role.id });
    } catch (error) {
      dispatch({ type: 'deleteFailed', roleId: role.id, message: errorMessage(error) });
    }
  };

  let content;
  if (state.editingId === role.id) {
    content = (
      <RenameRoleForm
        role={role}
        onRenamed={(renamed) => dispatch({ type: 'renamed', role: renamed })}
        onCancel={() => dispatch({ type: 'editCancelled' })}
      />
    );
  } else if (state.confirmingDeleteId === role.id) {
    const deleting = state.deletingId === role.id;
    content = (
      <div className="flex w-full flex-col gap-3">
        {rowError && <Alert tone="error">{rowError}</Alert>}
        <p className="text-sm font-medium text-slate-900">
          Delete the role “{role.name}”? Users lose it, and with it the ticket types it lets them submit.
        </p>
        <div className="flex gap-2">
          <Button variant="danger" size="small" loading={deleting} onClick={() => void remove()}>
            Yes, delete
          </Button>
          <Button
            variant="secondary"
            size="small"
            disabled={deleting}
            autoFocus
            onClick={() => dispatch({ type: 'deleteCancelled' })}
          >
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
              onClick={() => dispatch({ type: 'deleteAsked', roleId: role.id })}
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
  const { state, dispatch } = useCompanyRoles();

  let list;
  if (state.status === 'loading') {
    list = <LoadingState label="Loading company roles…" />;
  } else if (state.status === 'error') {
    list = <ErrorState message={state.error ?? ''} onRetry={() => dispatch({ type: 'retried' })} />;
  } else if (state.roles.length === 0) {
    list = <EmptyState title="No company roles yet">Create a role above to group users.</EmptyState>;
  } else {
    list = (
      <ul aria-label="Company roles" className="divide-y divide-slate-100 rounded-lg border border-slate-200">
        {state.roles.map((role) => (
          <RoleRow key={role.id} role={role} state={state} dispatch={dispatch} />
        ))}
      </ul>
    );
  }

  return (
    <div className="flex flex-col gap-6">
      <Card title="New role" description="Company roles decide which ticket types their holders may submit.">
        <CreateRoleForm onCreated={(role) => dispatch({ type: 'created', role })} />
      </Card>
      <Card title="Roles">{list}</Card>
    </div>
  );
}
