// Shapes of the tickets service's ingest keys, the actions service's signing secret and
// allowlist.

import type { Schema } from '@/types/api';

export type IngestKey = Schema<'IngestKeyRead'>;

export type IngestKeySecret = Schema<'IngestKeySecret'>;

export type InboundRejection = Schema<'InboundRejectionRead'>;

export type SigningSecret = Schema<'SigningSecretRead'>;

export type AllowlistEntry = Schema<'AllowlistEntryRead'>;
