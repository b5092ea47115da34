import { Button } from '@/components/ui/button';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { useUpdateUser } from '@/features/users/hooks/use-users';
import type { UserUpdate } from '@/features/users/types/users';
import { collectErrors, useForm, validators } from '@/hooks/use-form';
import type { User } from '@/types/api';

type EditUserFormProps = {
  user: User;
  onSaved: (user: User) => void;
};

export function EditUserForm({ user, onSaved }: EditUserFormProps) {
  const update = useUpdateUser(user.id);
  const form = useForm<UserUpdate>({
    initialValues: { first_name: user.first_name, last_name: user.last_name, email: user.email },
    validate: (values) =>
      collectErrors<UserUpdate>({
        first_name: validators.required(values.first_name, 'First name'),
        last_name: validators.required(values.last_name, 'Last name'),
        email: validators.email(values.email),
      }),
    onSubmit: async (values) => {
      const changes: Partial<UserUpdate> = {};
      for (const key of ['first_name', 'last_name', 'email'] as const) {
        const value = values[key].trim();
        if (value !== user[key]) changes[key] = value;
      }
      if (Object.keys(changes).length === 0) return;
      onSaved(await update.mutateAsync(changes));
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
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
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Save details
        </Button>
      </FormActions>
    </form>
  );
}
