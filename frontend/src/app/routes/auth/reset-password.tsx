import { Link, useSearchParams } from 'react-router';

import { AuthLayout } from '@/components/layouts/auth-layout';
import { paths } from '@/config/paths';
import { ResetConfirmForm } from '@/features/auth/components/reset-confirm-form';
import { ResetRequestForm } from '@/features/auth/components/reset-request-form';
import { useDocumentTitle } from '@/hooks/use-document-title';

/** Without a token: ask for a reset link. With `?token=` (from the email): choose the new password. */
export function ResetPasswordRoute() {
  const [searchParams] = useSearchParams();
  const token = searchParams.get('token');
  useDocumentTitle(token ? 'Choose a new password' : 'Reset your password');

  const backToLogin = (
    <Link to={paths.login} className="font-medium text-indigo-700 hover:underline">
      Back to sign in
    </Link>
  );

  if (token) {
    return (
      <AuthLayout
        title="Choose a new password"
        description="Enter a new password for your account."
        footer={
          <>
            Link expired?{' '}
            <Link to={paths.resetPassword} className="font-medium text-indigo-700 hover:underline">
              Ask for a new one
            </Link>{' '}
            · {backToLogin}
          </>
        }
      >
        <ResetConfirmForm token={token} />
      </AuthLayout>
    );
  }

  return (
    <AuthLayout
      title="Reset your password"
      description="Enter the email address of your account and we will send you a link to choose a new password."
      footer={backToLogin}
    >
      <ResetRequestForm />
    </AuthLayout>
  );
}
