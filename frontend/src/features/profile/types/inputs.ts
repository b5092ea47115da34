export type ProfileUpdate = {
  first_name: string;
  last_name: string;
  email: string;
};

export type PasswordChange = {
  current_password: string;
  new_password: string;
};
