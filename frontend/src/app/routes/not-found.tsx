import { Link } from 'react-router';

import { Brand } from '@/components/layouts/brand';
import { AppLayout } from '@/components/layouts/app-layout';
import { StatusPage } from '@/components/errors/status-page';
import { buttonClassName } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useAuth } from '@/lib/auth';

function NotFoundPage() {
  return (
    <StatusPage
      code="404"
      title="Page not found"
      actions={
        <Link to={paths.dashboard} className={buttonClassName()}>
          Go to the dashboard
        </Link>
      }
    >
      <p>The address may be mistyped, or the page may have moved.</p>
    </StatusPage>
  );
}

/** An unknown address: inside the app's shell (with its navigation) for a signed-in user. */
export function NotFoundRoute() {
  useDocumentTitle('Page not found');
  const { user } = useAuth();
  if (user) {
    return (
      <AppLayout>
        <NotFoundPage />
      </AppLayout>
    );
  }
  return (
    <div className="min-h-screen px-4 py-6">
      <header className="mx-auto max-w-6xl">
        <Brand />
      </header>
      <main id="main">
        <NotFoundPage />
      </main>
    </div>
  );
}
