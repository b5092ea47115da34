// Shapes of the platform operators' API (services/identity: operators).

import type { Schema } from '@/types/api';

export type OperatorSession = Schema<'OperatorSessionRead'>;

export type CompanySummary = Schema<'CompanySummary'>;

export type CompanyStatus = CompanySummary['status'];

export type CompanyOverview = Schema<'CompanyOverview'>;
