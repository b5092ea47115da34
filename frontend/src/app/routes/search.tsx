import { useSearchParams } from 'react-router';

import { PageHeader } from '@/components/ui/page-header';
import { EmptyState } from '@/components/ui/states';
import { SearchResults } from '@/features/search/components/search-results';
import { useDocumentTitle } from '@/hooks/use-document-title';
import { useCurrentUser } from '@/lib/auth';

export function SearchRoute() {
  const user = useCurrentUser();
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  useDocumentTitle(q ? `Search: ${q}` : 'Search');
  const roles = user.system_roles;
  const team = roles.includes('admin') || roles.includes('ticket_admin');
  return (
    <>
      <PageHeader
        title="Search"
        description={q ? `Tickets and tasks matching every word of “${q}”, by number, title or data.` : undefined}
      />
      {q ? (
        <SearchResults key={q} q={q} team={team} worker={roles.includes('task_worker')} />
      ) : (
        <EmptyState title="Search tickets and tasks">Type in the search box at the top of the page.</EmptyState>
      )}
    </>
  );
}
