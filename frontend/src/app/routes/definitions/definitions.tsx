import { Link } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/config/paths';
import { DefinitionsLists } from '@/features/definitions/components/definitions-lists';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function DefinitionsRoute() {
  useDocumentTitle('Definitions');
  return (
    <>
      <PageHeader
        title="Definitions"
        description="Design ticket types, workflows and tasks."
        actions={
          <>
            <Link to={paths.definitionsImport} className={buttonClassName({ variant: 'secondary' })}>
              Import bundle
            </Link>
            <Link to={paths.definitionsUpload} className={buttonClassName()}>
              Upload bundle
            </Link>
          </>
        }
      />
      <DefinitionsLists />
    </>
  );
}
