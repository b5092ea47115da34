export type LoginInput = {
  email: string;
  password: string;
};

export type SignupInput = {
  company_name: string;
  first_name: string;
  last_name: string;
  email: string;
  password: string;
};

export type PasswordResetRequestInput = {
  email: string;
};

export type PasswordResetConfirmInput = {
  token: string;
  new_password: string;
};
