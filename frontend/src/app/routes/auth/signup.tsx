import { Link } from 'react-router';

import { AuthLayout } from '@/components/layouts/auth-layout';
import { paths } from '@/config/paths';
import { SignupForm } from '@/features/auth/components/signup-form';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function SignupRoute() {
  useDocumentTitle('Create your company');
  return (
    <AuthLayout
      title="Create your company"
      description="Set up TicketFlower for your company. You become its first administrator."
      footer={
        <>
          Already have an account?{' '}
          <Link to={paths.login} className="font-medium text-indigo-700 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <SignupForm />
    </AuthLayout>
  );
}
