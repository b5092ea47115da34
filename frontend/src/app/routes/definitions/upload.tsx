import { useSearchParams } from 'react-router';

import itOnboardingSample from '@samples/it_onboarding.yaml?raw';

import { PageHeader } from '@/components/ui/page-header';
import { BundleEditor } from '@/features/definitions/components/bundle-editor';
import { useDocumentTitle } from '@/hooks/use-document-title';

/** Starting points a new company may open the editor on (`?sample=`). */
const SAMPLES: Record<string, string> = { 'it-onboarding': itOnboardingSample };

export function UploadBundleRoute() {
  const [params] = useSearchParams();
  const editKey = params.get('workflow');
  const sample = SAMPLES[params.get('sample') ?? ''];
  useDocumentTitle(editKey ? `Edit ${editKey}` : 'Upload bundle');
  return (
    <>
      <PageHeader
        title={editKey ? 'Edit bundle' : 'Upload bundle'}
        description="Check a bundle (every problem is shown where it is) and publish it."
      />
      <BundleEditor key={`${editKey ?? ''}|${sample ? 'sample' : ''}`} editKey={editKey} initialText={sample} />
    </>
  );
}
