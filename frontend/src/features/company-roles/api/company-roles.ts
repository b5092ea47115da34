import type { CompanyRole } from '@/features/company-roles/types/company-role';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

export async function listCompanyRoles(signal?: AbortSignal): Promise<CompanyRole[]> {
  // The contract does not fix whether this list is paged; accept both shapes.
  const body = await apiClient.get<CompanyRole[] | Page<CompanyRole>>('/identity/company-roles', { signal });
  return Array.isArray(body) ? body : body.items;
}

export function createCompanyRole(name: string): Promise<CompanyRole> {
  return apiClient.post<CompanyRole>('/identity/company-roles', { name });
}

export function renameCompanyRole(roleId: string, name: string): Promise<CompanyRole> {
  return apiClient.patch<CompanyRole>(`/identity/company-roles/${encodeURIComponent(roleId)}`, { name });
}

export function deleteCompanyRole(roleId: string): Promise<void> {
  return apiClient.delete<void>(`/identity/company-roles/${encodeURIComponent(roleId)}`);
}
