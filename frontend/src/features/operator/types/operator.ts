// Shapes of the platform operators' API (services/identity: operators).

export type OperatorProfile = { id: string; email: string; display_name: string };

export type OperatorSession = { access_token: string; expires_in: number; operator: OperatorProfile };

export type CompanyStatus = 'active' | 'suspended';

export type CompanySummary = {
  id: string;
  name: string;
  status: CompanyStatus;
  created_at: string;
  suspended_at: string | null;
};

export type CompanyOverview = CompanySummary & {
  counts: { users: number; active_users: number; admins: number; company_roles: number };
};
