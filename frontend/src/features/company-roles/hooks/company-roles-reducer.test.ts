import { describe, expect, it } from 'vitest';

import {
  companyRolesReducer,
  initialCompanyRolesState,
  type CompanyRolesState,
} from '@/features/company-roles/hooks/company-roles-reducer';

const role = (id: string, name: string) => ({ id, name, description: '', is_default: false });
const user = role('r1', 'user');
const hr = role('r2', 'hr');
const finance = role('r3', 'finance');

describe('companyRolesReducer', () => {
  const ready = companyRolesReducer(initialCompanyRolesState, { type: 'loaded', roles: [user, hr] });

  it('loads roles sorted by name', () => {
    expect(ready.status).toBe('ready');
    expect(ready.roles.map((r) => r.name)).toEqual(['hr', 'user']);
  });

  it('adds a created role in order', () => {
    const next = companyRolesReducer(ready, { type: 'created', role: finance });
    expect(next.roles.map((r) => r.name)).toEqual(['finance', 'hr', 'user']);
  });

  it('renames in place and leaves edit mode', () => {
    const editing = companyRolesReducer(ready, { type: 'editStarted', roleId: 'r2' });
    expect(editing.editingId).toBe('r2');
    const renamed = companyRolesReducer(editing, { type: 'renamed', role: role('r2', 'people') });
    expect(renamed.editingId).toBeNull();
    expect(renamed.roles.map((r) => r.name)).toEqual(['people', 'user']);
  });

  it('asks before deleting, and editing and confirming exclude each other', () => {
    const editing = companyRolesReducer(ready, { type: 'editStarted', roleId: 'r2' });
    const asking = companyRolesReducer(editing, { type: 'deleteAsked', roleId: 'r2' });
    expect(asking).toMatchObject({ confirmingDeleteId: 'r2', editingId: null });
    expect(companyRolesReducer(asking, { type: 'deleteCancelled' }).confirmingDeleteId).toBeNull();
  });

  it('removes a deleted role', () => {
    let state: CompanyRolesState = companyRolesReducer(ready, { type: 'deleteAsked', roleId: 'r2' });
    state = companyRolesReducer(state, { type: 'deleteStarted', roleId: 'r2' });
    expect(state.deletingId).toBe('r2');
    state = companyRolesReducer(state, { type: 'deleted', roleId: 'r2' });
    expect(state).toMatchObject({ deletingId: null, confirmingDeleteId: null, roles: [user] });
  });

  it('keeps the role and shows the error on its row when deletion fails', () => {
    let state = companyRolesReducer(ready, { type: 'deleteAsked', roleId: 'r2' });
    state = companyRolesReducer(state, { type: 'deleteStarted', roleId: 'r2' });
    state = companyRolesReducer(state, { type: 'deleteFailed', roleId: 'r2', message: 'Role is in use.' });
    expect(state).toMatchObject({
      deletingId: null,
      confirmingDeleteId: 'r2',
      rowError: { roleId: 'r2', message: 'Role is in use.' },
    });
    expect(state.roles).toHaveLength(2);
  });
});
