import type { Schema } from '@/types/api';

export type CompanyRole = Schema<'CompanyRoleRead'>;
