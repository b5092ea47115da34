import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/states';
import type { NavigationItem } from '@/config/navigation';
import { paths } from '@/config/paths';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function ComingSoonRoute({ section }: { section: NavigationItem }) {
  useDocumentTitle(section.label);
  return (
    <>
      <PageHeader title={section.label} description={section.description} />
      <EmptyState
        title="Coming soon"
        action={
          <Link to={paths.dashboard} className={buttonClassName({ variant: 'secondary' })}>
            Back to dashboard
          </Link>
        }
      >
        This part of TicketFlower is not available yet.
      </EmptyState>
    </>
  );
}
