import type {
  AllowlistEntry,
  InboundRejection,
  IngestKey,
  IngestKeySecret,
  SigningSecret,
} from '@/features/integrations/types/integrations';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

export const listIngestKeys = (signal?: AbortSignal) => apiClient.get<IngestKey[]>('/tickets/ingest-keys', { signal });
export const createIngestKey = (name: string) => apiClient.post<IngestKeySecret>('/tickets/ingest-keys', { name });
export const rotateIngestKey = (id: string) =>
  apiClient.post<IngestKeySecret>(`/tickets/ingest-keys/${encodeURIComponent(id)}/rotate`);
export const revokeIngestKey = (id: string) =>
  apiClient.post<IngestKey>(`/tickets/ingest-keys/${encodeURIComponent(id)}/revoke`);
export const listRejections = (page: number, signal?: AbortSignal) =>
  apiClient.get<Page<InboundRejection>>('/tickets/inbound-rejections', { query: { page, page_size: 20 }, signal });

export const getSigningSecret = (signal?: AbortSignal) =>
  apiClient.get<SigningSecret>('/actions/signing-secret', { signal });
export const rotateSigningSecret = () => apiClient.post<SigningSecret>('/actions/signing-secret/rotate');

export const listAllowlist = (signal?: AbortSignal) =>
  apiClient.get<AllowlistEntry[]>('/actions/allowlist', { signal });
export const addAllowlistEntry = (entry: string, note: string) =>
  apiClient.post<AllowlistEntry>('/actions/allowlist', { entry, note });
export const removeAllowlistEntry = (id: string) =>
  apiClient.delete<void>(`/actions/allowlist/${encodeURIComponent(id)}`);
