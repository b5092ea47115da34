import { PageHeader } from '@/components/ui/page-header';
import { MetricsDashboard } from '@/features/metrics/components/metrics-dashboard';
import { useDocumentTitle } from '@/hooks/use-document-title';

export function MetricsRoute() {
  useDocumentTitle('Metrics');
  return (
    <>
      <PageHeader title="Metrics" description="How work flows through your company." />
      <MetricsDashboard />
    </>
  );
}
