import type {
  AppNotification,
  NotificationPreference,
  NotificationSummary,
} from '@/features/notifications/types/notifications';
import { apiClient } from '@/lib/api-client';
import type { Page } from '@/types/api';

const BASE = '/identity/notifications';

export function listNotifications(
  query: { unread: boolean; page: number; page_size: number },
  signal?: AbortSignal,
): Promise<Page<AppNotification>> {
  return apiClient.get<Page<AppNotification>>(BASE, { query, signal });
}

/** The bell's summary; null when nothing changed since `etag` (the server answered 304). */
export async function getSummary(
  etag: string | null,
  signal?: AbortSignal,
): Promise<{ summary: NotificationSummary; etag: string | null } | null> {
  const response = await apiClient.get<Response>(`${BASE}/summary`, {
    headers: etag ? { 'If-None-Match': etag } : {},
    responseType: 'response',
    signal,
  });
  if (response.status === 304) return null;
  return { summary: (await response.json()) as NotificationSummary, etag: response.headers.get('ETag') };
}

export function markRead(notificationId: string): Promise<AppNotification> {
  return apiClient.post<AppNotification>(`${BASE}/${encodeURIComponent(notificationId)}/read`);
}

export function markAllRead(): Promise<{ marked: number }> {
  return apiClient.post<{ marked: number }>(`${BASE}/read-all`);
}

export function getPreferences(signal?: AbortSignal): Promise<NotificationPreference[]> {
  return apiClient.get<NotificationPreference[]>(`${BASE}/preferences`, { signal });
}

export function savePreferences(
  preferences: Array<Pick<NotificationPreference, 'kind' | 'in_app' | 'email'>>,
): Promise<NotificationPreference[]> {
  return apiClient.put<NotificationPreference[]>(`${BASE}/preferences`, { preferences });
}
