// Shapes of the identity service's company page (services/identity: companies).

import type { Schema } from '@/types/api';

export type Company = Schema<'CompanyRead'>;

export type CompanyUpdate = Schema<'CompanyUpdate'>;
