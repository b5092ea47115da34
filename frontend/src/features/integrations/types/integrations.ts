// Shapes of the tickets service's ingest keys, the actions service's signing secret and
// allowlist, and the engine's assignment settings.

export type IngestKey = {
  id: string;
  name: string;
  generation: number;
  secret_fingerprint: string;
  previous_valid_until: string | null;
  created_by: string | null;
  created_at: string;
  rotated_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
};

export type IngestKeySecret = IngestKey & { secret: string; signature_header: string; key_id_header: string };

export type InboundRejection = {
  id: string;
  sender_event_id: string | null;
  key_id: string | null;
  reason: string;
  detail: string;
  errors: Array<Record<string, unknown>> | null;
  body_excerpt: string;
  source_position: string;
  received_at: string;
};

export type SigningSecret = {
  secret: string;
  previous_secret: string | null;
  previous_valid_until: string | null;
  rotated_at: string;
  signature_headers: string[];
};

export type AllowlistEntry = { id: string; entry: string; kind: 'cidr' | 'host'; note: string; created_at: string };

export const ASSIGNMENT_STRATEGIES = [
  { value: 'shortest_queue', label: 'Shortest queue: the available worker with the fewest open tasks' },
  { value: 'round_robin', label: 'Round robin: available workers in turn' },
] as const;
