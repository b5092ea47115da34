import { PageHeader } from '@/components/ui/page-header';
import { ImportBundle } from '@/features/definitions/components/import-bundle';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function ImportBundleRoute() {
  useDocumentTitle('Import bundle');
  return (
    <>
      <PageHeader
        title="Import bundle"
        description="Bring in a workflow and its ticket types exported from this or another company."
      />
      <ImportBundle />
    </>
  );
}
