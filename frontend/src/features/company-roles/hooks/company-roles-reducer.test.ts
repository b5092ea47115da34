import { describe, expect, it } from 'vitest';

import { companyRolesReducer, initialCompanyRolesState } from '@/features/company-roles/hooks/company-roles-reducer';
import { sortByName } from '@/features/company-roles/hooks/use-company-roles';

const role = (id: string, name: string) => ({ id, name, description: '', is_default: false });

describe('companyRolesReducer', () => {
  it('edits one row at a time and leaves edit mode', () => {
    const editing = companyRolesReducer(initialCompanyRolesState, { type: 'editStarted', roleId: 'r2' });
    expect(editing.editingId).toBe('r2');
    expect(companyRolesReducer(editing, { type: 'editStarted', roleId: 'r3' }).editingId).toBe('r3');
    expect(companyRolesReducer(editing, { type: 'editEnded' }).editingId).toBeNull();
  });

  it('asks before deleting, and editing and confirming exclude each other', () => {
    const editing = companyRolesReducer(initialCompanyRolesState, { type: 'editStarted', roleId: 'r2' });
    const asking = companyRolesReducer(editing, { type: 'deleteAsked', roleId: 'r2' });
    expect(asking).toEqual({ confirmingDeleteId: 'r2', editingId: null });
    expect(companyRolesReducer(asking, { type: 'editStarted', roleId: 'r2' })).toEqual({
      confirmingDeleteId: null,
      editingId: 'r2',
    });
    expect(companyRolesReducer(asking, { type: 'deleteEnded' }).confirmingDeleteId).toBeNull();
  });
});

describe('sortByName', () => {
  it('orders roles by name without changing the list it was given', () => {
    const given = [role('r1', 'user'), role('r2', 'hr'), role('r3', 'finance')];
    expect(sortByName(given).map((r) => r.name)).toEqual(['finance', 'hr', 'user']);
    expect(given.map((r) => r.name)).toEqual(['user', 'hr', 'finance']);
  });
});
