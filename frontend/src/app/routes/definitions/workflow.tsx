import { useParams } from 'react-router';

import { WorkflowDetailView } from '@/features/definitions/components/workflow-detail';

export function WorkflowRoute() {
  const { workflowKey = '' } = useParams();
  return <WorkflowDetailView key={workflowKey} workflowKey={workflowKey} />;
}
