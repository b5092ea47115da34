import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { requestPasswordReset } from '@/features/auth/api/password-reset';
import type { PasswordResetRequestInput } from '@/features/auth/types/inputs';
import { collectErrors, useForm, validators } from '@/hooks/use-form';

export function ResetRequestForm() {
  const form = useForm<PasswordResetRequestInput>({
    initialValues: { email: '' },
    validate: (values) => collectErrors<PasswordResetRequestInput>({ email: validators.email(values.email) }),
    onSubmit: (values) => requestPasswordReset({ email: values.email.trim() }),
  });

  if (form.succeeded) {
    return (
      <Alert tone="success" title="Check your email">
        If an account exists for {form.values.email.trim()}, we have sent it a link to choose a new password. The link
        works once and expires soon.
      </Alert>
    );
  }

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
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
      <Button type="submit" block loading={form.submitting}>
        Send reset link
      </Button>
    </form>
  );
}
