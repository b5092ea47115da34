import { Link, useParams } from 'react-router';

import { buttonClassName } from '@/components/ui/button';
import { instanceHref } from '@/config/paths';
import { TaskDetailView } from '@/features/tasks/components/task-detail';
import { useCurrentUser } from '@/lib/auth';
import { ACCESS, canAccess } from '@/lib/authorization';

export function TaskRoute() {
  const { taskId = '' } = useParams();
  const user = useCurrentUser();
  return (
    <TaskDetailView
      key={taskId}
      taskId={taskId}
      userId={user.id}
      canManage={canAccess(user, ACCESS.tasks)}
      instanceLink={(instanceId) => (
        <Link to={instanceHref(instanceId)} className={buttonClassName({ variant: 'secondary', size: 'small' })}>
          Open the workflow
        </Link>
      )}
    />
  );
}
