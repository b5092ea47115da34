import type { Company, CompanyUpdate } from '@/features/company/types/company';
import { apiClient } from '@/lib/api-client';

export function getCompany(signal?: AbortSignal): Promise<Company> {
  return apiClient.get<Company>('/identity/company', { signal });
}

export function updateCompany(update: CompanyUpdate): Promise<Company> {
  return apiClient.patch<Company>('/identity/company', update);
}
