import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { ChangePasswordForm } from '@/features/profile/components/change-password-form';
import { ProfileForm } from '@/features/profile/components/profile-form';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';

export function ProfileRoute() {
  const user = useCurrentUser();
  useDocumentTitle('Profile');
  return (
    <>
      <PageHeader title="Profile" description="Your name, email address and password." />
      <div className="grid max-w-3xl gap-6">
        <Card title="Personal details">
          <ProfileForm user={user} />
        </Card>
        <Card title="Password" description="Choose a password you do not use anywhere else.">
          <ChangePasswordForm />
        </Card>
      </div>
    </>
  );
}
