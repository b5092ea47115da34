export type CompanyRole = {
  id: string;
  name: string;
};
