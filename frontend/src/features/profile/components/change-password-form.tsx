import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { changePassword } from '@/features/profile/api/change-password';
import { collectErrors, useForm, validators } from '@/hooks/use-form';

type ChangePasswordValues = {
  current_password: string;
  new_password: string;
  confirm_password: string;
};

const EMPTY: ChangePasswordValues = { current_password: '', new_password: '', confirm_password: '' };

export function ChangePasswordForm() {
  const form = useForm<ChangePasswordValues>({
    initialValues: EMPTY,
    validate: (values) =>
      collectErrors<ChangePasswordValues>({
        current_password: validators.required(values.current_password, 'Current password'),
        new_password: validators.required(values.new_password, 'New password'),
        confirm_password: validators.matches(values.confirm_password, values.new_password),
      }),
    onSubmit: async (values) => {
      await changePassword({ current_password: values.current_password, new_password: values.new_password });
      form.reset(EMPTY);
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
      {form.succeeded && <Alert tone="success">Your password has been changed.</Alert>}
      <TextField
        label="Current password"
        name="current_password"
        type="password"
        autoComplete="current-password"
        required
        value={form.values.current_password}
        onChange={(value) => form.setValue('current_password', value)}
        error={form.fieldErrors.current_password}
      />
      <TextField
        label="New password"
        name="new_password"
        type="password"
        autoComplete="new-password"
        required
        value={form.values.new_password}
        onChange={(value) => form.setValue('new_password', value)}
        error={form.fieldErrors.new_password}
      />
      <TextField
        label="Confirm new password"
        name="confirm_password"
        type="password"
        autoComplete="new-password"
        required
        value={form.values.confirm_password}
        onChange={(value) => form.setValue('confirm_password', value)}
        error={form.fieldErrors.confirm_password}
      />
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Change password
        </Button>
      </FormActions>
    </form>
  );
}
