// Shapes of the engine's and the actions service's metrics.

import type { Schema } from '@/types/api';

export type EngineMetrics = Schema<'MetricsRead'>;

export type ActionMetrics = Schema<'ActionMetricsRead'>;

export type TicketCreated = Pick<Schema<'TicketRead'>, 'created_at'>;
