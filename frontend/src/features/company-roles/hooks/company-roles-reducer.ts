import type { CompanyRole } from '@/features/company-roles/types/company-role';

export type CompanyRolesState = {
  status: 'loading' | 'ready' | 'error';
  roles: CompanyRole[];
  error: string | null;
  reloads: number;
  /** The role whose name is being edited in place. */
  editingId: string | null;
  /** The role whose delete button now asks for confirmation. */
  confirmingDeleteId: string | null;
  deletingId: string | null;
  rowError: { roleId: string; message: string } | null;
};

export type CompanyRolesAction =
  | { type: 'loaded'; roles: CompanyRole[] }
  | { type: 'failed'; error: string }
  | { type: 'retried' }
  | { type: 'created'; role: CompanyRole }
  | { type: 'editStarted'; roleId: string }
  | { type: 'editCancelled' }
  | { type: 'renamed'; role: CompanyRole }
  | { type: 'deleteAsked'; roleId: string }
  | { type: 'deleteCancelled' }
  | { type: 'deleteStarted'; roleId: string }
  | { type: 'deleted'; roleId: string }
  | { type: 'deleteFailed'; roleId: string; message: string };

export const initialCompanyRolesState: CompanyRolesState = {
  status: 'loading',
  roles: [],
  error: null,
  reloads: 0,
  editingId: null,
  confirmingDeleteId: null,
  deletingId: null,
  rowError: null,
};

function sortByName(roles: CompanyRole[]): CompanyRole[] {
  return [...roles].sort((a, b) => a.name.localeCompare(b.name));
}

export function companyRolesReducer(state: CompanyRolesState, action: CompanyRolesAction): CompanyRolesState {
  switch (action.type) {
    case 'loaded':
      return { ...state, status: 'ready', roles: sortByName(action.roles), error: null };
    case 'failed':
      return { ...state, status: 'error', error: action.error };
    case 'retried':
      return { ...state, status: 'loading', error: null, reloads: state.reloads + 1 };
    case 'created':
      return { ...state, roles: sortByName([...state.roles, action.role]) };
    case 'editStarted':
      return { ...state, editingId: action.roleId, confirmingDeleteId: null, rowError: null };
    case 'editCancelled':
      return { ...state, editingId: null };
    case 'renamed':
      return {
        ...state,
        editingId: null,
        roles: sortByName(state.roles.map((role) => (role.id === action.role.id ? action.role : role))),
      };
    case 'deleteAsked':
      return { ...state, confirmingDeleteId: action.roleId, editingId: null, rowError: null };
    case 'deleteCancelled':
      return { ...state, confirmingDeleteId: null, rowError: null };
    case 'deleteStarted':
      return { ...state, deletingId: action.roleId, rowError: null };
    case 'deleted':
      return {
        ...state,
        roles: state.roles.filter((role) => role.id !== action.roleId),
        deletingId: null,
        confirmingDeleteId: null,
      };
    case 'deleteFailed':
      return { ...state, deletingId: null, rowError: { roleId: action.roleId, message: action.message } };
  }
}
