import { useNavigate } from 'react-router';

import { Button } from '@/components/ui/button';
import { FormActions } from '@/components/ui/form-actions';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { operatorLogin } from '@/features/operator/api/operator';
import { useOperatorSession } from '@/features/operator/hooks/operator-session';
import { collectErrors, useForm, validators } from '@/hooks/use-form';

type Values = { email: string; password: string };

export function OperatorLoginForm() {
  const { signIn } = useOperatorSession();
  const navigate = useNavigate();
  const form = useForm<Values>({
    initialValues: { email: '', password: '' },
    validate: (values) =>
      collectErrors<Values>({
        email: validators.email(values.email),
        password: validators.required(values.password, 'Password'),
      }),
    onSubmit: async (values) => {
      signIn(await operatorLogin(values.email.trim(), values.password));
      navigate(paths.operator);
    },
  });
  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
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
        label="Password"
        name="password"
        type="password"
        required
        value={form.values.password}
        onChange={(value) => form.setValue('password', value)}
        error={form.fieldErrors.password}
      />
      <FormActions>
        <Button type="submit" loading={form.submitting}>
          Sign in
        </Button>
      </FormActions>
    </form>
  );
}
