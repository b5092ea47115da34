export type UserCreate = {
  email: string;
  first_name: string;
  last_name: string;
  /** Optional initial password; without one the user sets theirs through the reset mail. */
  password: string;
  system_roles: string[];
  company_roles: string[];
};

export type UserUpdate = {
  email: string;
  first_name: string;
  last_name: string;
};

export type UserRolesUpdate = {
  system_roles: string[];
  company_roles: string[];
};

export type UsersQuery = {
  q: string;
  page: number;
  page_size: number;
};

/** Company role names offered in role pickers, and whether they could be loaded. */
export type CompanyRoleOptions = {
  status: 'loading' | 'ready' | 'error';
  names: string[];
};
