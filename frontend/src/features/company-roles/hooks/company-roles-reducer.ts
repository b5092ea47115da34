/** Which row of the roles list is being edited or asks to confirm a delete; the roles
 * themselves live in the query cache. */
export type CompanyRolesState = {
  /** The role whose name is being edited in place. */
  editingId: string | null;
  /** The role whose delete button now asks for confirmation. */
  confirmingDeleteId: string | null;
};

export type CompanyRolesAction =
  | { type: 'editStarted'; roleId: string }
  | { type: 'editEnded' }
  | { type: 'deleteAsked'; roleId: string }
  | { type: 'deleteEnded' };

export const initialCompanyRolesState: CompanyRolesState = { editingId: null, confirmingDeleteId: null };

export function companyRolesReducer(state: CompanyRolesState, action: CompanyRolesAction): CompanyRolesState {
  switch (action.type) {
    case 'editStarted':
      return { editingId: action.roleId, confirmingDeleteId: null };
    case 'editEnded':
      return { ...state, editingId: null };
    case 'deleteAsked':
      return { editingId: null, confirmingDeleteId: action.roleId };
    case 'deleteEnded':
      return { ...state, confirmingDeleteId: null };
  }
}
