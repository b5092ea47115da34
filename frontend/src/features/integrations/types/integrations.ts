// Shapes of the tickets service's ingest keys, the actions service's signing secret and
// allowlist, and the engine's assignment settings.

import type { Schema } from '@/types/api';

export type IngestKey = Schema<'IngestKeyRead'>;

export type IngestKeySecret = Schema<'IngestKeySecret'>;

export type InboundRejection = Schema<'InboundRejectionRead'>;

export type SigningSecret = Schema<'SigningSecretRead'>;

export type AllowlistEntry = Schema<'AllowlistEntryRead'>;

export const ASSIGNMENT_STRATEGIES = [
  { value: 'shortest_queue', label: 'Shortest queue: the available worker with the fewest open tasks' },
  { value: 'round_robin', label: 'Round robin: available workers in turn' },
] as const;
