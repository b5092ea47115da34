import { useParams } from 'react-router';

import { TaskDefinitionDetail } from '@/features/definitions/components/task-definition-detail';

export function TaskDefinitionRoute() {
  const { workflowKey = '', taskKey = '' } = useParams();
  return <TaskDefinitionDetail key={`${workflowKey}/${taskKey}`} workflowKey={workflowKey} taskKey={taskKey} />;
}
