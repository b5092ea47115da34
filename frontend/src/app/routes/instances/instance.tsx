import { useParams } from 'react-router';

import { InstanceDetailView } from '@/features/workflow-instances/components/instance-detail';

export function InstanceRoute() {
  const { instanceId = '' } = useParams();
  return <InstanceDetailView key={instanceId} instanceId={instanceId} />;
}
