// Shapes of the identity service's company page (services/identity: companies).

export type CompanyCounts = { users: number; active_users: number; admins: number; company_roles: number };

export type Company = {
  id: string;
  name: string;
  contact_email: string | null;
  timezone: string;
  status: 'active' | 'suspended';
  created_at: string;
  counts: CompanyCounts;
};

export type CompanyUpdate = { name?: string; contact_email?: string | null; timezone?: string };
