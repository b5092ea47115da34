import { Link, useLocation } from 'react-router';

import { AuthLayout } from '@/components/layouts/auth-layout';
import { Alert } from '@/components/ui/alert';
import { paths } from '@/config/paths';
import { LoginForm } from '@/features/auth/components/login-form';
import { useDocumentTitle } from '@/hooks/use-document-title';
import type { LoginLocationState } from '@/lib/auth';

export function LoginRoute() {
  useDocumentTitle('Sign in');
  const notice = (useLocation().state as LoginLocationState | null)?.notice;
  return (
    <AuthLayout
      title="Sign in"
      description="Welcome back to TicketFlower."
      footer={
        <>
          New to TicketFlower?{' '}
          <Link to={paths.signup} className="font-medium text-indigo-700 hover:underline">
            Create an account for your company
          </Link>
        </>
      }
    >
      <div className="flex flex-col gap-4">
        {notice && <Alert tone="info">{notice}</Alert>}
        <LoginForm />
      </div>
    </AuthLayout>
  );
}
