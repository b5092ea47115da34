import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { updateProfile } from '@/features/profile/api/update-profile';
import type { ProfileUpdate } from '@/features/profile/types/inputs';
import { collectErrors, useForm, validators } from '@/hooks/use-form';
import { useAuth } from '@/lib/auth';
import type { User } from '@/types/api';

/** Only the fields that differ from the saved user, so an unchanged email is not re-checked. */
function changedFields(user: User, values: ProfileUpdate): Partial<ProfileUpdate> {
  const changes: Partial<ProfileUpdate> = {};
  for (const key of ['first_name', 'last_name', 'email'] as const) {
    const value = values[key].trim();
    if (value !== user[key]) changes[key] = value;
  }
  return changes;
}

export function ProfileForm({ user }: { user: User }) {
  const { updateUser } = useAuth();
  const form = useForm<ProfileUpdate>({
    initialValues: { first_name: user.first_name, last_name: user.last_name, email: user.email },
    validate: (values) =>
      collectErrors<ProfileUpdate>({
        first_name: validators.required(values.first_name, 'First name'),
        last_name: validators.required(values.last_name, 'Last name'),
        email: validators.email(values.email),
      }),
    onSubmit: async (values) => {
      const changes = changedFields(user, values);
      if (Object.keys(changes).length === 0) return;
      updateUser(await updateProfile(changes));
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
      {form.succeeded && <Alert tone="success">Your profile has been saved.</Alert>}
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="First name"
          name="first_name"
          autoComplete="given-name"
          required
          value={form.values.first_name}
          onChange={(value) => form.setValue('first_name', value)}
          error={form.fieldErrors.first_name}
        />
        <TextField
          label="Last name"
          name="last_name"
          autoComplete="family-name"
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
        autoComplete="email"
        required
        value={form.values.email}
        onChange={(value) => form.setValue('email', value)}
        error={form.fieldErrors.email}
      />
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Save profile
        </Button>
      </FormActions>
    </form>
  );
}
