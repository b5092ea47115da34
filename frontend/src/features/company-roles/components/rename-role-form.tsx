import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { useRenameCompanyRole } from '@/features/company-roles/hooks/use-company-roles';
import type { CompanyRole } from '@/features/company-roles/types/company-role';
import { collectErrors, useForm, validators } from '@/hooks/use-form';

type RoleName = { name: string };

type RenameRoleFormProps = {
  role: CompanyRole;
  onRenamed: () => void;
  onCancel: () => void;
};

export function RenameRoleForm({ role, onRenamed, onCancel }: RenameRoleFormProps) {
  const rename = useRenameCompanyRole(role.id);
  const form = useForm<RoleName>({
    initialValues: { name: role.name },
    validate: (values) => collectErrors<RoleName>({ name: validators.required(values.name, 'Role name') }),
    onSubmit: async (values) => {
      const name = values.name.trim();
      if (name !== role.name) await rename.mutateAsync(name);
      onRenamed();
    },
  });

  return (
    <form
      onSubmit={form.handleSubmit}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onCancel();
      }}
      noValidate
      className="flex w-full flex-col gap-3"
    >
      <FormError message={form.formError} />
      <TextField
        label={`New name for “${role.name}”`}
        name="name"
        required
        value={form.values.name}
        onChange={(value) => form.setValue('name', value)}
        error={form.fieldErrors.name}
      />
      <div className="flex gap-2">
        <Button type="submit" size="small" loading={form.submitting}>
          Save
        </Button>
        <Button variant="secondary" size="small" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
