import type { PasswordResetConfirmInput, PasswordResetRequestInput } from '@/features/auth/types/inputs';
import { apiClient } from '@/lib/api-client';

/** Answers 202 whether or not the address has an account, so it reveals nothing. */
export function requestPasswordReset(input: PasswordResetRequestInput): Promise<void> {
  return apiClient.post<void>('/identity/password-reset/request', input, { auth: false });
}

export function confirmPasswordReset(input: PasswordResetConfirmInput): Promise<void> {
  return apiClient.post<void>('/identity/password-reset/confirm', input, { auth: false });
}
