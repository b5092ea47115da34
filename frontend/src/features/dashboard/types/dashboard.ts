import type { Schema } from '@/types/api';

export type WaitingTicket = Schema<'WaitingTicketRead'>;
export type MyOpenTickets = Schema<'MyOpenTicketsRead'>;
export type TicketOverview = Schema<'TicketOverviewRead'>;
export type EngineOverview = Schema<'EngineOverviewRead'>;
export type MyPerformance = Schema<'MyPerformanceRead'>;
export type MyTask = Schema<'engine__TaskRead'>;

/** The caller's company; only its name is shown here. */
export type Company = Schema<'CompanyRead'>;
