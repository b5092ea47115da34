import type { Schema } from '@/types/api';

export type DateRangeQuery = { from: string; to: string };

export type TicketReport = Schema<'TicketReportRead'>;
export type EngineReport = Schema<'EngineReportRead'>;
export type ActionReport = Schema<'ActionReportRead'>;
export type TicketSla = Schema<'TicketSlaRead'>;
export type EngineSla = Schema<'EngineSlaRead'>;
