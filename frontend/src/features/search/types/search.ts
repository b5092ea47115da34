import type { Page, Schema } from '@/types/api';

export type TicketHit = Schema<'TicketRead'>;
export type TaskHit = Schema<'engine__TaskRead'>;
export type Hits<T> = Page<T>;
