import { Button } from '@/components/ui/button';
import { CheckboxGroup } from '@/components/ui/checkbox-group';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { companyRolesHint } from '@/features/users/components/company-roles-hint';
import { companyRoleOptions, SYSTEM_ROLE_OPTIONS } from '@/features/users/components/role-options';
import { useSetUserRoles } from '@/features/users/hooks/use-users';
import type { CompanyRoleOptions, UserRolesUpdate } from '@/features/users/types/users';
import { useForm } from '@/hooks/use-form';
import type { User } from '@/types/api';

type UserRolesFormProps = {
  user: User;
  companyRoles: CompanyRoleOptions;
  onSaved: (user: User) => void;
};

export function UserRolesForm({ user, companyRoles, onSaved }: UserRolesFormProps) {
  const setRoles = useSetUserRoles(user.id);
  const form = useForm<UserRolesUpdate>({
    initialValues: { system_roles: user.system_roles, company_roles: user.company_roles },
    onSubmit: async (values) => {
      onSaved(await setRoles.mutateAsync(values));
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-5">
      <FormError message={form.formError} />
      <CheckboxGroup
        legend="System roles"
        name="system_roles"
        hint="System roles decide which parts of TicketFlower the user can open."
        options={SYSTEM_ROLE_OPTIONS}
        value={form.values.system_roles}
        onChange={(value) => form.setValue('system_roles', value)}
        error={form.fieldErrors.system_roles}
      />
      <CheckboxGroup
        legend="Company roles"
        name="company_roles"
        hint={companyRolesHint(companyRoles)}
        options={companyRoleOptions(companyRoles.names, user.company_roles)}
        value={form.values.company_roles}
        onChange={(value) => form.setValue('company_roles', value)}
        error={form.fieldErrors.company_roles}
      />
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Save roles
        </Button>
      </FormActions>
    </form>
  );
}
