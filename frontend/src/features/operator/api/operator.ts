import type {
  CompanyOverview,
  CompanyStatus,
  CompanySummary,
  OperatorSession,
} from '@/features/operator/types/operator';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

const BASE = '/identity/operator';

// An operator's token is not a company user's session: it is sent by hand and never refreshed
// through the tenant refresh cookie (`auth: false`).
const bearer = (token: string) => ({ auth: false, headers: { Authorization: `Bearer ${token}` } });

export function operatorLogin(email: string, password: string): Promise<OperatorSession> {
  return apiClient.post<OperatorSession>(`${BASE}/login`, { email, password }, { auth: false });
}

export type CompanyQuery = { q?: string; status?: CompanyStatus; page: number; page_size: number };

export function listCompanies(token: string, query: CompanyQuery, signal?: AbortSignal): Promise<Page<CompanySummary>> {
  return apiClient.get<Page<CompanySummary>>(`${BASE}/companies`, { ...bearer(token), query, signal });
}

export function getCompany(token: string, companyId: string, signal?: AbortSignal): Promise<CompanyOverview> {
  return apiClient.get<CompanyOverview>(`${BASE}/companies/${encodeURIComponent(companyId)}`, {
    ...bearer(token),
    signal,
  });
}

export function setCompanyStatus(
  token: string,
  companyId: string,
  action: 'suspend' | 'reactivate',
): Promise<CompanyOverview> {
  return apiClient.post<CompanyOverview>(
    `${BASE}/companies/${encodeURIComponent(companyId)}/${action}`,
    undefined,
    bearer(token),
  );
}
