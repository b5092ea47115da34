import { Button } from '@/components/ui/button';
import { FormError } from '@/components/ui/form-error';
import { TextField } from '@/components/ui/text-field';
import { signup } from '@/features/auth/api/signup';
import type { SignupInput } from '@/features/auth/types/inputs';
import { collectErrors, useForm, validators } from '@/hooks/use-form';
import { useAuth } from '@/lib/auth';

/** Creates a company with its first user (its admin) and signs that user in. */
export function SignupForm() {
  const { signIn } = useAuth();
  const form = useForm<SignupInput>({
    initialValues: { company_name: '', first_name: '', last_name: '', email: '', password: '' },
    validate: (values) =>
      collectErrors<SignupInput>({
        company_name: validators.required(values.company_name, 'Company name'),
        first_name: validators.required(values.first_name, 'First name'),
        last_name: validators.required(values.last_name, 'Last name'),
        email: validators.email(values.email),
        password: validators.required(values.password, 'Password'),
      }),
    onSubmit: async (values) => {
      signIn(
        await signup({
          company_name: values.company_name.trim(),
          first_name: values.first_name.trim(),
          last_name: values.last_name.trim(),
          email: values.email.trim(),
          password: values.password,
        }),
      );
    },
  });

  return (
    <form onSubmit={form.handleSubmit} noValidate className="flex flex-col gap-4">
      <FormError message={form.formError} />
      <TextField
        label="Company name"
        name="company_name"
        autoComplete="organization"
        required
        value={form.values.company_name}
        onChange={(value) => form.setValue('company_name', value)}
        error={form.fieldErrors.company_name}
      />
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
        label="Work email"
        name="email"
        type="email"
        autoComplete="email"
        required
        value={form.values.email}
        onChange={(value) => form.setValue('email', value)}
        error={form.fieldErrors.email}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        value={form.values.password}
        onChange={(value) => form.setValue('password', value)}
        error={form.fieldErrors.password}
      />
      <Button type="submit" block loading={form.submitting}>
        {form.submitting ? 'Creating your company…' : 'Create company'}
      </Button>
    </form>
  );
}
