import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { useCreateCompanyRole } from '@/features/company-roles/hooks/use-company-roles';
import { collectErrors, useForm, validators } from '@/hooks/use-form';

type RoleName = { name: string };

/** A new role; it shows in the list once the roles have been read again. */
export function CreateRoleForm() {
  const create = useCreateCompanyRole();
  const form = useForm<RoleName>({
    initialValues: { name: '' },
    validate: (values) => collectErrors<RoleName>({ name: validators.required(values.name, 'Role name') }),
    onSubmit: async (values) => {
      await create.mutateAsync(values.name.trim());
      form.reset({ name: '' });
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-3">
      <FormError message={form.formError} />
      {form.succeeded && <Alert tone="success">The role has been created.</Alert>}
      <div className="flex flex-col gap-3 sm:flex-row sm:items-start">
        <div className="flex-1">
          <TextField
            label="Role name"
            name="name"
            required
            hint="For example: hr, finance, facilities."
            value={form.values.name}
            onChange={(value) => form.setValue('name', value)}
            error={form.fieldErrors.name}
          />
        </div>
        <Button type="submit" loading={form.submitting} className="sm:mt-[3.25rem]">
          Create role
        </Button>
      </div>
    </form>
  );
}
