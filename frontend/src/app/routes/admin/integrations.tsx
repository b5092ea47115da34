import { PageHeader } from '@/components/ui/page-header';
import { AllowlistPanel, IngestKeysPanel, SigningSecretPanel } from '@/features/integrations/components/panels';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function IntegrationsRoute() {
  useDocumentTitle('Integrations and settings');
  return (
    <>
      <PageHeader
        title="Integrations and settings"
        description="Keys for systems that send tickets, how actions are signed and where they may call."
      />
      <div className="grid gap-6 lg:grid-cols-2">
        <IngestKeysPanel />
        <div className="flex flex-col gap-6">
          <SigningSecretPanel />
          <AllowlistPanel />
        </div>
      </div>
    </>
  );
}
