import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { confirmPasswordReset } from '@/features/auth/api/password-reset';
import { collectErrors, useForm, validators } from '@/hooks/use-form';
import type { LoginLocationState } from '@/lib/auth';

type ResetConfirmValues = {
  new_password: string;
  confirm_password: string;
  // Not an input: present so a problem about the token is shown as the form's message.
  token: string;
};

export function ResetConfirmForm({ token }: { token: string }) {
  const navigate = useNavigate();
  const form = useForm<ResetConfirmValues>({
    initialValues: { new_password: '', confirm_password: '', token },
    validate: (values) =>
      collectErrors<ResetConfirmValues>({
        new_password: validators.required(values.new_password, 'New password'),
        confirm_password: validators.matches(values.confirm_password, values.new_password),
      }),
    onSubmit: async (values) => {
      await confirmPasswordReset({ token: values.token, new_password: values.new_password });
      const state: LoginLocationState = { notice: 'Your password has been changed. Sign in with your new password.' };
      navigate(paths.login, { replace: true, state });
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError ?? form.fieldErrors.token ?? null} />
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
      <Button type="submit" block loading={form.submitting}>
        Set new password
      </Button>
    </form>
  );
}
