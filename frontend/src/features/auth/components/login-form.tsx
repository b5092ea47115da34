import { Link } from 'react-router';

import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { paths } from '@/config/paths';
import { login } from '@/features/auth/api/login';
import type { LoginInput } from '@/features/auth/types/inputs';
import { collectErrors, useForm, validators } from '@/hooks/use-form';
import { useAuth } from '@/lib/auth';

/** Signs in; the login route then leaves for the page the visitor came from. */
export function LoginForm() {
  const { signIn } = useAuth();
  const form = useForm<LoginInput>({
    initialValues: { email: '', password: '' },
    validate: (values) =>
      collectErrors<LoginInput>({
        email: validators.required(values.email, 'Email'),
        password: validators.required(values.password, 'Password'),
      }),
    onSubmit: async (values) => {
      signIn(await login({ email: values.email.trim(), password: values.password }));
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        required
        value={form.values.email}
        onChange={(value) => form.setValue('email', value)}
        error={form.fieldErrors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={form.values.password}
        onChange={(value) => form.setValue('password', value)}
        error={form.fieldErrors.password}
      />
      <div className="flex justify-end text-sm">
        <Link to={paths.resetPassword} className="font-medium text-indigo-700 hover:underline">
          Forgot your password?
        </Link>
      </div>
      <Button type="submit" block loading={form.submitting}>
        {form.submitting ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
