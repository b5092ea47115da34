import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { CheckboxGroup } from '@/components/ui/checkbox-group';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { adminUserHref, paths } from '@/config/paths';
import { DEFAULT_COMPANY_ROLE } from '@/config/roles';
import { companyRolesHint } from '@/features/users/components/company-roles-hint';
import { companyRoleOptions, SYSTEM_ROLE_OPTIONS } from '@/features/users/components/role-options';
import { useCreateUser } from '@/features/users/hooks/use-users';
import type { CompanyRoleOptions, UserCreate } from '@/features/users/types/users';
import { collectErrors, useForm, validators } from '@/hooks/use-form';

export type UserCreatedState = { notice: string };

export function CreateUserForm({ companyRoles }: { companyRoles: CompanyRoleOptions }) {
  const navigate = useNavigate();
  const create = useCreateUser();
  const form = useForm<UserCreate>({
    initialValues: {
      email: '',
      first_name: '',
      last_name: '',
      password: '',
      system_roles: ['user'],
      company_roles: [DEFAULT_COMPANY_ROLE],
    },
    validate: (values) =>
      collectErrors<UserCreate>({
        first_name: validators.required(values.first_name, 'First name'),
        last_name: validators.required(values.last_name, 'Last name'),
        email: validators.email(values.email),
      }),
    onSubmit: async (values) => {
      const user = await create.mutateAsync({
        ...values,
        email: values.email.trim(),
        first_name: values.first_name.trim(),
        last_name: values.last_name.trim(),
      });
      const state: UserCreatedState = { notice: `${user.first_name} ${user.last_name} has been created.` };
      navigate(adminUserHref(user.id), { state });
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-5">
      <FormError message={form.formError} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="First name"
          name="first_name"
          required
          value={form.values.first_name}
          onChange={(value) => form.setValue('first_name', value)}
          error={form.fieldErrors.first_name}
        />
        <TextField
          label="Last name"
          name="last_name"
          required
          value={form.values.last_name}
          onChange={(value) => form.setValue('last_name', value)}
          error={form.fieldErrors.last_name}
        />
      </div>
      <TextField
        label="Email"
        name="email"
        type="email"
        required
        value={form.values.email}
        onChange={(value) => form.setValue('email', value)}
        error={form.fieldErrors.email}
      />
      <TextField
        label="Initial password (optional)"
        name="password"
        type="password"
        autoComplete="new-password"
        hint="Leave empty and the new user chooses a password through “Forgot your password?” on the sign-in page."
        value={form.values.password}
        onChange={(value) => form.setValue('password', value)}
        error={form.fieldErrors.password}
      />
      <CheckboxGroup
        legend="System roles"
        name="system_roles"
        options={SYSTEM_ROLE_OPTIONS}
        value={form.values.system_roles}
        onChange={(value) => form.setValue('system_roles', value)}
        error={form.fieldErrors.system_roles}
      />
      <CheckboxGroup
        legend="Company roles"
        name="company_roles"
        hint={companyRolesHint(companyRoles)}
        options={companyRoleOptions(companyRoles.names, form.values.company_roles)}
        value={form.values.company_roles}
        onChange={(value) => form.setValue('company_roles', value)}
        error={form.fieldErrors.company_roles}
      />
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Create user
        </Button>
        <Button variant="secondary" onClick={() => navigate(paths.adminUsers)}>
          Cancel
        </Button>
      </FormActions>
    </form>
  );
}
