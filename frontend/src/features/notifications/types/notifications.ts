// Shapes of the identity service's notifications module (services/identity: notifications),
// named from the generated API types.

import type { Schema } from '@/types/api';

export type NotificationKind = Schema<'NotificationKind'>;
export type AppNotification = Schema<'NotificationRead'>;
export type NotificationSummary = Schema<'NotificationSummary'>;
export type NotificationPreference = Schema<'PreferenceRead'>;
