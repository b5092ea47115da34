import { useSearchParams } from 'react-router';

import { PageHeader } from '@/components/ui/page-header';
import { BundleEditor } from '@/features/definitions/components/bundle-editor';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function UploadBundleRoute() {
  const [params] = useSearchParams();
  const editKey = params.get('workflow');
  useDocumentTitle(editKey ? `Edit ${editKey}` : 'Upload bundle');
  return (
    <>
      <PageHeader
        title={editKey ? 'Edit bundle' : 'Upload bundle'}
        description="Check a bundle (every problem is shown where it is) and publish it."
      />
      <BundleEditor key={editKey ?? ''} editKey={editKey} />
    </>
  );
}
